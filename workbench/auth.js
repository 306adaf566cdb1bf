// Sign-in through the OpenID Connect provider: authorization code with PKCE, done by
// oauth4webapi (a maintained, certified client library), served from the registry itself.
// The workbench is a public client: no secret, the code verifier proves the exchange.

import * as oauth from './vendor/oauth4webapi.js';
import { keepSession } from './session.js';

const PENDING = 'workbench.pending';

/** Where the provider sends the browser back: the workbench page itself. */
const redirectUri = () => `${location.origin}/workbench`;

/** Plain http only for a provider on this machine (development, the tests). */
function options(issuer) {
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(issuer.hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(config) {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Goes to the provider's sign-in page; the verifier and state wait in this tab for the answer. */
export async function startSignIn(config) {
  const as = await discover(config);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, hash: location.hash }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
}

/** Whether this load is the provider sending the browser back (a code or an error). */
export function isCallback() {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/**
 * Exchanges the code for tokens and keeps the access token (the registry checks it: issuer,
 * audience, role and jurisdiction claims). Answers the page's location to return to.
 */
export async function completeSignIn(config) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('登录回调无对应的登录请求，请重新登录');
  const as = await discover(config);
  const client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.codeVerifier,
    options(new URL(config.issuer)),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  keepSession(result.access_token, 'oidc');
  return pending.hash || '#/';
}

/** The development sign-in: the server mints a local token for the role and place chosen. */
export async function developmentSignIn(role, jurisdiction) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ role, jurisdiction }),
  });
  const answer = await response.json();
  if (!response.ok) {
    const field = answer.errors?.map((e) => e.message).join('；');
    throw new Error(field || answer.detail || `登录失败（${String(response.status)}）`);
  }
  keepSession(answer.token, 'development');
}
