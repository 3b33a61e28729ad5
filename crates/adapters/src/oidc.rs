//! Single sign-on with an OpenID Connect provider (Keycloak, Microsoft Entra ID, AD FS …), with
//! the `openidconnect` crate: discovery, the authorization code flow with PKCE (S256), `state`
//! and `nonce`, and the ID token's signature checked against the provider's keys, its issuer,
//! audience, expiry (two minutes of clock skew tolerated) and nonce. The provider's metadata and
//! keys are kept for an hour; a token signed by a key not among them (the provider rotated its
//! keys) makes one fresh discovery before it is refused.

use liaison_domain::Timestamp;
use liaison_domain::ports::{IdentityProvider, PortFuture, SsoFailure, SsoIdentity, SsoSecrets, SsoStart};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdTokenVerifier};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl,
    Scope, TokenResponse,
};
use std::time::{Duration, Instant};

/// How much the provider's clock and ours may disagree.
pub const CLOCK_SKEW_SECONDS: i64 = 120;
/// How long discovery (metadata and keys) is kept.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// One provider, as `liaison.toml` names it.
#[derive(Clone)]
pub struct OidcSettings {
    pub name: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This installation's callback, `PUBLIC_URL/login/sso/NAME/callback`.
    pub redirect_url: String,
    /// PEM certificates of a private CA to trust for the provider, besides the system's.
    pub ca_pem: Option<Vec<u8>>,
    pub timeout: Duration,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings").field("name", &self.name).field("issuer", &self.issuer).field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// A provider: its settings, an HTTP client that never follows redirects (RFC 6749, 4.1.4
/// forbids the token endpoint's), and its metadata once discovered.
pub struct OidcProvider {
    s: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: Client,
    cache: tokio::sync::RwLock<Option<(Instant, ProviderMetadataWithLogout)>>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider").field("settings", &self.s).finish_non_exhaustive()
    }
}

type Http = openidconnect::HttpRequest;

/// The HTTP client `openidconnect` calls: reqwest, cloned into each request's future.
struct Client(reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Client {
    type Error = std::io::Error;
    type Future = PortFuture<'c, Result<openidconnect::HttpResponse, std::io::Error>>;

    fn call(&'c self, request: Http) -> Self::Future {
        let http = self.0.clone();
        Box::pin(async move { send(&http, request).await })
    }
}

/// The HTTP client for `openidconnect`, on reqwest.
async fn send(http: &reqwest::Client, req: Http) -> Result<openidconnect::HttpResponse, std::io::Error> {
    let (parts, body) = req.into_parts();
    let mut rb = http.request(parts.method, parts.uri.to_string()).body(body);
    for (k, v) in &parts.headers {
        rb = rb.header(k, v);
    }
    let res = rb.send().await.map_err(std::io::Error::other)?;
    let mut out = openidconnect::http::Response::builder().status(res.status());
    for (k, v) in res.headers() {
        out = out.header(k, v);
    }
    let bytes = res.bytes().await.map_err(std::io::Error::other)?;
    out.body(bytes.to_vec()).map_err(std::io::Error::other)
}

impl OidcProvider {
    pub fn new(s: OidcSettings) -> Result<OidcProvider, String> {
        let issuer = IssuerUrl::new(s.issuer.trim_end_matches('/').to_string()).map_err(|e| format!("issuer {:?}: {e}", s.issuer))?;
        let redirect = RedirectUrl::new(s.redirect_url.clone()).map_err(|e| format!("redirect address {:?}: {e}", s.redirect_url))?;
        let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(s.timeout);
        if let Some(pem) = &s.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| format!("the private CA file: {e}"))?;
            if certs.is_empty() {
                return Err("the private CA file holds no PEM certificate".into());
            }
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        let http = b.build().map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(OidcProvider { s, issuer, redirect, http: Client(http), cache: tokio::sync::RwLock::new(None) })
    }

    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, SsoFailure> {
        if !fresh && let Some((_, m)) = self.cache.read().await.as_ref().filter(|(at, _)| at.elapsed() < METADATA_TTL) {
            return Ok(m.clone());
        }
        let m = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| SsoFailure::Unavailable(format!("discovery at {}: {}", self.issuer.as_str(), chain(&e))))?;
        *self.cache.write().await = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn client(
        &self,
        m: ProviderMetadataWithLogout,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(m, ClientId::new(self.s.client_id.clone()), Some(ClientSecret::new(self.s.client_secret.clone())))
            .set_redirect_uri(self.redirect.clone())
    }

    async fn begin_flow(&self) -> Result<SsoStart, SsoFailure> {
        let client = self.client(self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(SsoStart {
            url: url.to_string(),
            secrets: SsoSecrets { state: state.secret().clone(), nonce: nonce.secret().clone(), pkce_verifier: verifier.secret().clone() },
        })
    }

    async fn finish_flow(&self, code: &str, secrets: &SsoSecrets, now: Timestamp) -> Result<SsoIdentity, SsoFailure> {
        let client = self.client(self.metadata(false).await?);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoFailure::Unavailable(format!("the provider has no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(secrets.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| match &e {
                openidconnect::RequestTokenError::ServerResponse(r) => SsoFailure::Refused(format!("the provider refused the code: {}", r.error())),
                other => SsoFailure::Unavailable(format!("the token endpoint: {}", chain(other))),
            })?;
        let id_token = tokens.id_token().ok_or_else(|| SsoFailure::BadToken("the provider sent no ID token".into()))?;
        let nonce = Nonce::new(secrets.nonce.clone());
        let checked = match id_token.claims(&verifier(&client.id_token_verifier(), now), &nonce) {
            Ok(c) => c.clone(),
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
                // The provider may have rotated its keys since discovery: look again, once.
                let fresh = self.client(self.metadata(true).await?);
                id_token.claims(&verifier(&fresh.id_token_verifier(), now), &nonce).map_err(|e| SsoFailure::BadToken(e.to_string()))?.clone()
            }
            Err(e) => return Err(SsoFailure::BadToken(e.to_string())),
        };
        Ok(SsoIdentity {
            subject: checked.subject().as_str().to_string(),
            email: checked.email().map(|e| e.as_str().to_string()),
            email_verified: checked.email_verified().unwrap_or(false),
            name: checked.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_string()),
        })
    }
}

/// The checks of an ID token at `now`, with the clock skew tolerated.
pub fn verifier<'a>(base: &CoreIdTokenVerifier<'a>, now: Timestamp) -> CoreIdTokenVerifier<'a> {
    let skewed = now - chrono::TimeDelta::seconds(CLOCK_SKEW_SECONDS);
    base.clone().set_time_fn(move || skewed).set_issue_time_verifier_fn(move |iat| {
        if iat > now + chrono::TimeDelta::seconds(CLOCK_SKEW_SECONDS) { Err(format!("issued in the future ({iat})")) } else { Ok(()) }
    })
}

/// An error with its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl IdentityProvider for OidcProvider {
    fn name(&self) -> &str {
        &self.s.name
    }

    fn label(&self) -> &str {
        &self.s.label
    }

    fn begin(&self) -> PortFuture<'_, Result<SsoStart, SsoFailure>> {
        Box::pin(self.begin_flow())
    }

    fn finish<'a>(&'a self, code: &'a str, secrets: &'a SsoSecrets, now: Timestamp) -> PortFuture<'a, Result<SsoIdentity, SsoFailure>> {
        Box::pin(self.finish_flow(code, secrets, now))
    }

    fn end_session<'a>(&'a self, then: &'a str) -> PortFuture<'a, Option<String>> {
        Box::pin(async move {
            let m = self.metadata(false).await.ok()?;
            let mut url = m.additional_metadata().end_session_endpoint.as_ref()?.url().clone();
            url.query_pairs_mut().append_pair("client_id", &self.s.client_id).append_pair("post_logout_redirect_uri", then);
            Some(url.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::core::{CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
    use openidconnect::{Audience, EmptyAdditionalClaims, JsonWebKeyId, PrivateSigningKey, StandardClaims, SubjectIdentifier};

    /// A key made for these tests only (`openssl genrsa -traditional 2048`); it signs nothing else.
    const KEY: &str = include_str!("../testdata/oidc-test-key.pem");
    const ISSUER: &str = "https://sso.test.example/realms/liaison";

    fn key(kid: &str) -> CoreRsaPrivateSigningKey {
        CoreRsaPrivateSigningKey::from_pem(KEY, Some(JsonWebKeyId::new(kid.into()))).unwrap()
    }

    fn token(aud: &str, issued: Timestamp, lifetime: i64, nonce: &str, kid: &str) -> CoreIdToken {
        let claims = CoreIdTokenClaims::new(
            IssuerUrl::new(ISSUER.into()).unwrap(),
            vec![Audience::new(aud.into())],
            issued + chrono::TimeDelta::seconds(lifetime),
            issued,
            StandardClaims::new(SubjectIdentifier::new("u-1".into())),
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(nonce.into())));
        CoreIdToken::new(claims, &key(kid), CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None).unwrap()
    }

    /// What the client of `client_id`, knowing key `kid`, makes of `t` at `now`.
    fn check(t: &CoreIdToken, client_id: &str, kid: &str, now: Timestamp, nonce: &str) -> Result<String, String> {
        let jwks = CoreJsonWebKeySet::new(vec![key(kid).as_verification_key()]);
        let client = CoreClient::new(ClientId::new(client_id.into()), IssuerUrl::new(ISSUER.into()).unwrap(), jwks);
        t.claims(&verifier(&client.id_token_verifier(), now), &Nonce::new(nonce.into())).map(|c| c.subject().to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn id_tokens_are_checked_for_audience_expiry_nonce_and_key_with_clock_skew_tolerated() {
        let now = chrono::Utc::now();
        let good = token("liaison", now, 300, "n-1", "k1");
        assert_eq!(check(&good, "liaison", "k1", now, "n-1"), Ok("u-1".into()));
        let wrong_aud = check(&token("another-client", now, 300, "n-1", "k1"), "liaison", "k1", now, "n-1").unwrap_err();
        assert!(wrong_aud.to_lowercase().contains("aud"), "{wrong_aud}");
        assert!(check(&good, "liaison", "k1", now, "n-2").is_err(), "another sign-in's nonce");
        assert!(check(&good, "liaison", "k2", now, "n-1").is_err(), "a key the client does not know");
        // Expired by a minute: within the two minutes of skew. By three: refused.
        assert!(check(&good, "liaison", "k1", now + chrono::TimeDelta::seconds(360), "n-1").is_ok());
        assert!(check(&good, "liaison", "k1", now + chrono::TimeDelta::seconds(480), "n-1").unwrap_err().to_lowercase().contains("expire"));
        // Issued a minute "in the future" (the provider's clock ahead): fine; an hour: refused.
        assert!(check(&token("liaison", now + chrono::TimeDelta::seconds(60), 300, "n-1", "k1"), "liaison", "k1", now, "n-1").is_ok());
        assert!(check(&token("liaison", now + chrono::TimeDelta::seconds(3600), 7200, "n-1", "k1"), "liaison", "k1", now, "n-1").is_err());
    }

    #[test]
    fn bad_settings_are_refused_and_secrets_stay_out_of_debug() {
        let s = OidcSettings {
            name: "mod".into(),
            label: "MoD".into(),
            issuer: ISSUER.into(),
            client_id: "liaison".into(),
            client_secret: "very-secret-value".into(),
            redirect_url: "https://liaison.example/login/sso/mod/callback".into(),
            ca_pem: None,
            timeout: Duration::from_secs(5),
        };
        assert!(!format!("{s:?}").contains("very-secret-value"));
        assert!(OidcProvider::new(OidcSettings { issuer: "not a url".into(), ..s.clone() }).is_err());
        assert!(OidcProvider::new(OidcSettings { redirect_url: "/relative".into(), ..s.clone() }).is_err());
        assert!(OidcProvider::new(OidcSettings { ca_pem: Some(b"no certificate here".to_vec()), ..s.clone() }).is_err());
        let p = OidcProvider::new(s).unwrap();
        assert!(!format!("{p:?}").contains("very-secret-value"));
    }
}
