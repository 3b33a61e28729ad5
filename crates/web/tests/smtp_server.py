"""A real SMTP submission server for Liaison's mail tests (aiosmtpd and trustme from PyPI).

    python3 smtp_server.py certs DIR
        makes a private CA (DIR/ca.pem) and a certificate for 127.0.0.1 signed by it
    python3 smtp_server.py serve DIR PORT starttls|tls|none USER PASSWORD
        serves on 127.0.0.1:PORT with that certificate: STARTTLS required before anything else
        (starttls) or TLS from the first byte (tls), AUTH PLAIN/LOGIN required and only USER with
        PASSWORD accepted; or a plain relay (none); each message received is written to DIR/mail/<n>.eml (whole, then
        renamed) with its envelope in DIR/mail/<n>.json. Prints "ready" when it listens.
"""

import json
import os
import ssl
import sys
import time

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def make_certs(folder):
    ca = trustme.CA(organization_name="Liaison test CA")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(os.path.join(folder, "ca.pem"))
    cert.private_key_and_cert_chain_pem.write_to_path(os.path.join(folder, "server.pem"))


class Keep:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        stem = os.path.join(self.folder, str(time.time_ns()))
        with open(stem + ".json", "w", encoding="utf-8") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "tls": session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None, "authenticated": session.authenticated}, f)
        with open(stem + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(stem + ".tmp", stem + ".eml")
        return "250 OK queued"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    return check


def serve(folder, port, mode, user, password):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(folder, "server.pem"))
    common = dict(hostname="127.0.0.1", port=port, authenticator=authenticator(user, password), auth_required=True)
    handler = Keep(os.path.join(folder, "mail"))
    if mode == "none":
        # A plain relay inside the network: no TLS, no login.
        controller = Controller(Keep(os.path.join(folder, "mail")), hostname="127.0.0.1", port=port)
    elif mode == "starttls":
        controller = Controller(handler, tls_context=context, require_starttls=True, auth_require_tls=True, **common)
    else:
        # The whole connection is TLS: aiosmtpd's own check of STARTTLS does not apply.
        controller = Controller(handler, ssl_context=context, auth_require_tls=False, **common)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    if sys.argv[1] == "certs":
        make_certs(sys.argv[2])
    else:
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])
