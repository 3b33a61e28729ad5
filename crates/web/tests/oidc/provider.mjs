// Minimal OpenID Connect provider for integration tests (oidc-provider 9.x, Node >= 20).
// NOT for production: in-memory storage, throw-away keys, no real authentication.
//
// Settings come from the environment or from `--name=value` args (`--client-id=x` sets CLIENT_ID):
//   PORT (0 = pick a free port)  HOST (listen address, default 127.0.0.1)  ISSUER (default http://127.0.0.1:PORT)
//   CLIENT_ID  CLIENT_SECRET  REDIRECT_URI  POST_LOGOUT_REDIRECT_URI (comma-separated lists allowed)
//   ID_TOKEN_TTL (seconds, default 300)
//
// Sign-in without a browser: GET /auth?... -> 303 /interaction/<uid>;
// POST /interaction/<uid> with form field login=<sub> -> 303 /auth/<uid> -> 303 REDIRECT_URI?code=...&state=...
// Consent is never asked. Test-only extra: POST /__test/rotate-keys puts a new signing key first.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
// The bundled in-memory adapter. Built as below (no own store) all provider instances share one
// module-level store, so sessions, codes and grants survive the rebuild done on key rotation.
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

for (const arg of process.argv.slice(2)) {
  const m = /^--([\w-]+)=(.*)$/s.exec(arg);
  if (m) process.env[m[1].toUpperCase().replaceAll('-', '_')] = m[2];
}
const env = (name, fallback) => process.env[name] ?? fallback;
const list = (value) => value.split(',').map((s) => s.trim()).filter(Boolean);

const idTokenTTL = Number(env('ID_TOKEN_TTL', 300));
const cookieKeys = [randomBytes(32).toString('base64url')]; // shared by all provider instances

// A fresh RS256 signing key. The first key in the JWKS signs; the others are only published.
const newKey = () => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: randomUUID(), use: 'sig', alg: 'RS256',
});
let keys = [newKey()];

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function buildProvider(issuer) {
  const provider = new Provider(issuer, {
    clients: [{
      client_id: env('CLIENT_ID', 'test-client'),
      client_secret: env('CLIENT_SECRET', 'test-secret'),
      redirect_uris: list(env('REDIRECT_URI', 'http://127.0.0.1:8080/callback')),
      post_logout_redirect_uris: list(env('POST_LOGOUT_REDIRECT_URI', 'http://127.0.0.1:8080/')),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // v9 accepts client_secret_post as well when client_secret_basic is registered.
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys },
    adapter: (model) => new MemoryAdapter(model),
    cookies: { keys: cookieKeys },
    pkce: { required: () => true }, // only S256 exists in v9
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put the scope claims (email, ...) into the ID token, not only into /me (userinfo).
    conformIdTokenClaims: false,
    // Any sub is a valid account; subs starting with "unverified" have an unverified email.
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: `${sub}@test.example`,
          email_verified: !sub.startsWith('unverified'),
          name: sub,
        }),
      };
    },
    // Auto-consent: always grant whatever OIDC scopes/claims the request asks for.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let grant = grantId && await oidc.provider.Grant.find(grantId);
      if (!grant || grant.accountId !== oidc.session.accountId) {
        grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      }
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false }, // replaced by the /interaction/<uid> handler below
      rpInitiatedLogout: {
        enabled: true,
        // `form` holds <form id="op.logoutForm" ...> with the hidden xsrf field.
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><title>Logout</title>${form.replace('</form>',
            '<input type="hidden" name="logout" value="yes"/><button type="submit">Sign out</button></form>')}`;
        },
      },
    },
    ttl: {
      AccessToken: 3600, AuthorizationCode: 60, IdToken: idTokenTTL,
      Interaction: 600, Session: 3600, Grant: 3600,
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  return { provider, handle: provider.callback() };
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

let current; // { provider, handle }; replaced on key rotation
const server = createServer(async (req, res) => {
  const { provider, handle } = current;
  const { pathname } = new URL(req.url, 'http://localhost');
  try {
    // Login "page": GET shows a form, POST login=<sub> signs that sub in.
    if (/^\/interaction\/[\w-]+$/.test(pathname)) {
      const { uid, prompt, params } = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<!DOCTYPE html><title>Sign-in</title><form method="post" action="/interaction/${uid}">
          <input name="login" value="${escapeHtml(params.login_hint ?? '')}" autofocus/>
          <button type="submit">Sign in (${escapeHtml(prompt.name)})</button></form>`);
        return;
      }
      if (req.method === 'POST') {
        const login = (await readForm(req)).get('login');
        if (!login) {
          res.writeHead(400, { 'Content-Type': 'text/plain' }).end('missing "login" form field');
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
        return;
      }
    }
    // Test-only key rotation: a new key signs from now on, the previous one stays published.
    if (req.method === 'POST' && pathname === '/__test/rotate-keys') {
      keys = [newKey(), keys[0]];
      current = buildProvider(provider.issuer);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kids: keys.map((k) => k.kid) }));
      return;
    }
    handle(req, res);
  } catch (err) {
    // e.g. SessionNotFound when the _interaction cookie is missing or the interaction expired
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${err.name}: ${err.error_description ?? err.message}`);
  }
});

server.listen(Number(env('PORT', 3000)), env('HOST', '127.0.0.1'), () => {
  const issuer = env('ISSUER', `http://127.0.0.1:${server.address().port}`);
  current = buildProvider(issuer);
  console.log(`issuer ${issuer}`);
  console.log('ready');
});
