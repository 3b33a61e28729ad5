//! glibc's allocator, set for a server that reads large uploads. By default glibc keeps up to
//! eight arenas per core and raises its threshold for `mmap` each time a large block is freed,
//! so the buffers of one large import (a 50 MB file read a chunk at a time, the trees of its
//! activities, the pages of its preview) come back as heap that is never returned: measured on
//! a 54 MB IATI file over HTTP, the server held 143 MB after the preview and 169 MB after
//! applying, against 124 MB and 126 MB with the settings below (README, IATI measurements).
//!
//! Two arenas; blocks of 256 KiB and more in their own mappings (returned when freed); the
//! heap's top trimmed above 1 MiB. An operator's own `MALLOC_ARENA_MAX`,
//! `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_` wins: nothing is set then.

/// Set the allocator before any thread starts (arenas are made as threads first allocate).
pub fn tune() {
    let own = ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"].iter().any(|v| std::env::var_os(v).is_some());
    if !own {
        set();
    }
    // mimalloc (the global allocator, see main.rs) returns freed memory to the system at once
    // instead of 10 ms later: measured with `liaison-bench run` at an eighth of alliance scale,
    // the idle server held 71.5 MiB (40.7 MiB of its own) with the delay and 52.2 MiB (21.7)
    // without. An operator's `MIMALLOC_PURGE_DELAY` wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` only changes one of mimalloc's documented options; option 15
        // is `mi_option_purge_delay` in the mimalloc this crate builds.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

/// mimalloc's `mi_option_purge_delay` (not among the constants libmimalloc-sys names).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set() {
    // SAFETY: `mallopt` only changes glibc's allocator parameters; it is called once, before
    // the runtime's threads exist, with parameters and values glibc documents (mallopt(3)).
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set() {}
