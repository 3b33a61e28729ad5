// Passkeys (WebAuthn): the one script of Liaison's pages, served from the binary (the pages'
// policy allows scripts from this server only). A form with `data-passkey="create"` (register
// one, on the account page) or `data-passkey="get"` (answer a sign-in's second step) asks the
// server for the ceremony's options at its `data-options` address, asks the browser's
// authenticator, puts the answer (JSON, binary values in base64url) in the form's `credential`
// field and submits the form. Nothing else happens in the page; without this script the forms
// are refused with a clear message, and every other way in still works.
(function () {
  "use strict";

  function toBytes(s) {
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toText(buf) {
    if (!buf) return null;
    const bytes = new Uint8Array(buf);
    let bin = "";
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(o) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(o);
    }
    const out = Object.assign({}, o, { challenge: toBytes(o.challenge), user: Object.assign({}, o.user, { id: toBytes(o.user.id) }) });
    if (o.excludeCredentials) out.excludeCredentials = o.excludeCredentials.map(function (c) { return Object.assign({}, c, { id: toBytes(c.id) }); });
    return out;
  }

  function requestOptions(o) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(o);
    }
    const out = Object.assign({}, o, { challenge: toBytes(o.challenge) });
    if (o.allowCredentials) out.allowCredentials = o.allowCredentials.map(function (c) { return Object.assign({}, c, { id: toBytes(c.id) }); });
    return out;
  }

  function answer(cred) {
    if (typeof cred.toJSON === "function") return cred.toJSON();
    const r = cred.response;
    const response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      if (typeof r.getTransports === "function") response.transports = r.getTransports();
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = toText(r.userHandle);
    }
    return { id: cred.id, rawId: toText(cred.rawId), type: cred.type, response: response, clientExtensionResults: cred.getClientExtensionResults() };
  }

  function show(form, selector) {
    const el = form.querySelector(selector);
    if (el) el.hidden = false;
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      show(form, "[data-passkey-unsupported]");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      return;
    }
    let busy = false;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (busy || !form.reportValidity()) return;
      busy = true;
      const error = form.querySelector("[data-passkey-error]");
      if (error) error.hidden = true;
      try {
        const r = await fetch(form.dataset.options, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" } });
        const options = await r.json().catch(function () { return {}; });
        if (!r.ok || !options.publicKey) throw new Error("no options");
        const cred = form.dataset.passkey === "create"
          ? await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) })
          : await navigator.credentials.get({ publicKey: requestOptions(options.publicKey) });
        if (!cred) throw new Error("no credential");
        form.querySelector("input[name=credential]").value = JSON.stringify(answer(cred));
        form.submit();
      } catch (e) {
        busy = false;
        show(form, "[data-passkey-error]");
      }
    });
  });
})();
