//! The accept loop: HTTP/1.1 connections served by hyper, with the bounds a server facing
//! hostile clients needs and that `axum::serve` does not set.
//!
//! - **Header time.** A client has `header_read_timeout` to send a request's head. One that
//!   sent part of a head and stalls is answered `408` and closed; an idle keep-alive connection
//!   is closed quietly.
//! - **Connections.** At most `max_connections` in total and `max_connections_per_address` from
//!   one address (not applied behind a trusted proxy, where every connection comes from the
//!   proxy). A connection over a bound is still read and answered — `503` or `429` with a
//!   problem document and `Retry-After` — then closed, never held.
//! - **Shutdown.** When `shutdown` completes, no new connection is accepted, each open one
//!   finishes the request in flight and closes, and `serve` returns once all are closed.

use crate::error::Problem;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a refused connection may take to send its request before it is closed.
const REFUSAL_READ: Duration = Duration::from_secs(2);

/// Open connections, in total and by address.
#[derive(Default)]
struct Counts {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// One admitted connection; gives its place back when dropped.
struct Admitted {
    counts: Arc<Mutex<Counts>>,
    address: IpAddr,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_address.get_mut(&self.address) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.by_address.remove(&self.address);
            }
        }
    }
}

/// Admit a connection from `address`, or say which bound it is over.
fn admit(counts: &Arc<Mutex<Counts>>, address: IpAddr, total: usize, per_address: Option<usize>) -> Result<Admitted, StatusCode> {
    let mut c = counts.lock().unwrap_or_else(|p| p.into_inner());
    if c.total >= total {
        return Err(StatusCode::SERVICE_UNAVAILABLE);
    }
    let mine = c.by_address.get(&address).copied().unwrap_or(0);
    if per_address.is_some_and(|max| mine >= max) {
        return Err(StatusCode::TOO_MANY_REQUESTS);
    }
    c.total += 1;
    *c.by_address.entry(address).or_insert(0) += 1;
    Ok(Admitted { counts: counts.clone(), address })
}

/// Serve `router` on `listener` until `shutdown` completes (see the module's words).
pub async fn run(listener: TcpListener, state: AppState, router: axum::Router, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    let cfg = state.cfg.clone();
    let per_address = (!cfg.trust_proxy).then_some(cfg.max_connections_per_address.max(1));
    let total = cfg.max_connections.max(1);
    let https = cfg.cookie_secure;
    let counts = Arc::new(Mutex::new(Counts::default()));
    // Dropping the receiver tells every connection to finish; the sender's `closed` then fires.
    let (stop_tx, stop_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(stop_rx);
    });
    // Each connection holds a receiver; `closed` fires when the last one is gone.
    let (done_tx, done_rx) = watch::channel(());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: wait a
                    // little rather than spin, and go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stop_tx.closed() => break,
        };
        let _ = stream.set_nodelay(true);
        let done = done_rx.clone();
        match admit(&counts, peer.ip(), total, per_address) {
            Ok(place) => {
                let router = router.clone();
                let stop = stop_tx.clone();
                let header_timeout = cfg.header_read_timeout;
                tokio::spawn(async move {
                    connection(stream, peer, router, stop, header_timeout, https).await;
                    drop(place);
                    drop(done);
                });
            }
            Err(status) => {
                tracing::warn!(source = %peer.ip(), status = status.as_u16(), "connection refused: too many open");
                tokio::spawn(async move {
                    refuse(stream, status, https).await;
                    drop(done);
                });
            }
        }
    }
    drop(done_rx);
    drop(listener);
    done_tx.closed().await;
    Ok(())
}

fn http1(header_timeout: Duration) -> hyper::server::conn::http1::Builder {
    let mut b = hyper::server::conn::http1::Builder::new();
    b.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    b
}

/// Serve one admitted connection.
async fn connection(stream: TcpStream, peer: SocketAddr, router: axum::Router, stop: watch::Sender<()>, header_timeout: Duration, https: bool) {
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(req.map(Body::new))
    });
    let mut conn = http1(header_timeout).serve_connection(TokioIo::new(stream), service);
    let mut stopping = false;
    let result = loop {
        tokio::select! {
            r = std::future::poll_fn(|cx| conn.poll_without_shutdown(cx)) => break r,
            () = stop.closed(), if !stopping => {
                stopping = true;
                Pin::new(&mut conn).graceful_shutdown();
            }
        }
    };
    let Err(e) = result else { return };
    if e.is_timeout() {
        // The head did not arrive in time. Answer 408 when part of one came; an idle
        // keep-alive connection is simply closed.
        let parts = conn.into_parts();
        if !parts.read_buf.is_empty() {
            let mut io = parts.io.into_inner();
            let _ = tokio::time::timeout(REFUSAL_READ, write_plain(&mut io, StatusCode::REQUEST_TIMEOUT, https)).await;
        }
        tracing::debug!(source = %peer.ip(), "closed a connection that did not send its request in time");
    } else {
        tracing::debug!(source = %peer.ip(), error = %e, "connection ended with an error");
    }
}

/// Read the request of a connection over a bound, answer `status`, close.
async fn refuse(stream: TcpStream, status: StatusCode, https: bool) {
    let service = hyper::service::service_fn(move |_req: Request<Incoming>| async move { Ok::<_, Infallible>(refusal(status, https)) });
    let mut b = http1(REFUSAL_READ);
    b.keep_alive(false);
    let _ = tokio::time::timeout(REFUSAL_READ * 2, b.serve_connection(TokioIo::new(stream), service)).await;
}

/// The answer to a connection over a bound, or that timed out: a problem document with the
/// security headers every answer carries.
fn refusal(status: StatusCode, https: bool) -> Response {
    let slug = match status {
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::TOO_MANY_REQUESTS => "too-many-connections",
        _ => "overloaded",
    };
    let mut res = Problem::new(status, slug).retry_after(5).into_response();
    crate::middleware::set_security_headers(res.headers_mut(), https, true);
    res.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    res
}

/// Write `status`'s answer straight to a socket hyper has given back.
async fn write_plain(io: &mut TcpStream, status: StatusCode, https: bool) {
    let res = refusal(status, https);
    let (parts, body) = res.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024).await else { return };
    let mut head = format!("HTTP/1.1 {} {}\r\n", status.as_u16(), status.canonical_reason().unwrap_or(""));
    for (k, v) in &parts.headers {
        if let Ok(v) = v.to_str() {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let _ = io.write_all(head.as_bytes()).await;
    let _ = io.write_all(&body).await;
    let _ = io.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_counts_by_address_and_in_total_and_gives_places_back() {
        let counts = Arc::new(Mutex::new(Counts::default()));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = admit(&counts, a, 3, Some(2)).unwrap();
        let _second = admit(&counts, a, 3, Some(2)).unwrap();
        assert_eq!(admit(&counts, a, 3, Some(2)).err(), Some(StatusCode::TOO_MANY_REQUESTS));
        let _third = admit(&counts, b, 3, Some(2)).unwrap();
        assert_eq!(admit(&counts, b, 3, Some(2)).err(), Some(StatusCode::SERVICE_UNAVAILABLE));
        drop(first);
        assert!(admit(&counts, a, 3, Some(2)).is_ok(), "a closed connection's place is free again");
        assert!(admit(&counts, a, 10, None).is_ok(), "no per-address bound behind a proxy");
    }
}
