/**
 * A real OpenID Connect provider for the tests: `oidc-provider` (OpenID Certified), run in this
 * process on 127.0.0.1. The registry is its resource server (audience `urn:community-orgs:registry`);
 * each test subject is a client of its own, and its tokens come through a real
 * `client_credentials` grant at the token endpoint, as JWT access tokens signed with the
 * provider's ES256 key, carrying the requested role and jurisdiction as claims.
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '../../bench/free-port.js';

export const TEST_AUDIENCE = 'urn:community-orgs:registry';

type Payload = Record<string, unknown>;

/** oidc-provider's storage: clients are found here too, so tests add subjects while it runs. */
class MemoryAdapter {
  static readonly stores = new Map<string, Map<string, Payload>>();
  private readonly store: Map<string, Payload>;

  constructor(model: string) {
    let store = MemoryAdapter.stores.get(model);
    if (!store) {
      store = new Map();
      MemoryAdapter.stores.set(model, store);
    }
    this.store = store;
  }

  upsert(id: string, payload: Payload): Promise<void> {
    this.store.set(id, payload);
    return Promise.resolve();
  }
  find(id: string): Promise<Payload | undefined> {
    return Promise.resolve(this.store.get(id));
  }
  findByUid(uid: string): Promise<Payload | undefined> {
    return Promise.resolve([...this.store.values()].find((p) => p['uid'] === uid));
  }
  findByUserCode(code: string): Promise<Payload | undefined> {
    return Promise.resolve([...this.store.values()].find((p) => p['userCode'] === code));
  }
  consume(id: string): Promise<void> {
    const payload = this.store.get(id);
    if (payload) payload['consumed'] = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    this.store.delete(id);
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, payload] of this.store)
      if (payload['grantId'] === grantId) this.store.delete(id);
    return Promise.resolve();
  }
}

export interface TokenRequest {
  readonly role: string;
  readonly jurisdiction: string;
  readonly sub: string;
  /** The resource (audience) asked for; the registry's by default. */
  readonly audience?: string;
  /** Lifetime of the access token in seconds (default 600). */
  readonly ttlSeconds?: number;
}

export interface TestProvider {
  readonly issuer: string;
  token(request: TokenRequest): Promise<string>;
  /** Restarts on the same port with a new signing key (the old one still published). */
  rotateKeys(): Promise<void>;
  /** Stops answering (the port is closed). */
  stop(): Promise<void>;
  /** Starts answering again on the same port, with the same keys and clients. */
  start(): Promise<void>;
}

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    ...jwk,
    alg: 'ES256',
    use: 'sig',
    kid: `key-${String(Date.now())}-${String(Math.random()).slice(2, 8)}`,
  };
}

/**
 * A browser client signing in with authorization code + PKCE (the workbench): a public client
 * (no secret) whose redirect URI is the workbench page.
 */
export interface InteractiveClient {
  readonly clientId: string;
  readonly redirectUri: string;
}

/**
 * A person signing in on the provider's development login page types `role:jurisdiction`
 * (e.g. `street:310104003`) as the login: the account id, whose role and jurisdiction its
 * access tokens carry. Any password is accepted (oidc-provider's devInteractions).
 */
function accountClaims(accountId: string | undefined): Record<string, unknown> {
  const [role, jurisdiction] = (accountId ?? '').split(':');
  return role && jurisdiction ? { role, jurisdiction } : {};
}

/** The provider allows the browser's calls (discovery, token) from a public client's own origin. */
function sameOriginAsRedirect(
  _ctx: unknown,
  origin: string,
  client: { clientAuthMethod?: string; redirectUris?: readonly string[] },
): boolean {
  return (
    client.clientAuthMethod === 'none' &&
    (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin)
  );
}

function configuration(
  keys: JWK[],
  interactive: InteractiveClient | undefined,
): ConstructorParameters<typeof Provider>[1] {
  return {
    ...(interactive && {
      clients: [
        {
          client_id: interactive.clientId,
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [interactive.redirectUri],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      findAccount: (_ctx: unknown, id: string) =>
        Promise.resolve({ accountId: id, claims: () => Promise.resolve({ sub: id }) }),
      clientBasedCORS: sameOriginAsRedirect,
    }),
    adapter: MemoryAdapter,
    jwks: { keys },
    // The resource server's accessTokenTTL decides (a constant here would override it); a
    // function, not the default, because the provider warns about its defaults.
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
    },
    // What the tests ask for is kept on each subject's client: the token endpoint of the
    // client_credentials grant takes no extra parameters.
    extraClientMetadata: { properties: ['role', 'jurisdiction', 'token_ttl'] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: interactive !== undefined },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => TEST_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          const ttl = Number(client.metadata()['token_ttl']);
          return {
            scope: '',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: Number.isFinite(ttl) && ttl > 0 ? ttl : 600,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: (ctx, token) => {
      const metadata: Record<string, unknown> = ctx.oidc.client?.metadata() ?? {};
      if (metadata['role'] !== undefined)
        return { role: metadata['role'], jurisdiction: metadata['jurisdiction'] };
      return accountClaims('accountId' in token ? token.accountId : undefined);
    },
  };
}

/**
 * Starts a provider on a free port of 127.0.0.1 (or the given one, which may be taken later);
 * with `interactive`, people sign in on its development login and consent pages too.
 */
export async function startTestProvider(
  port?: number,
  interactive?: InteractiveClient,
): Promise<TestProvider> {
  const chosen = port ?? (await freePort());
  const issuer = `http://127.0.0.1:${String(chosen)}`;
  let keys = [await signingKey()];
  let server: Server | undefined;
  const listen = async (): Promise<void> => {
    const provider = new Provider(issuer, configuration(keys, interactive));
    await new Promise<void>((resolve) => {
      server = provider.listen(chosen, '127.0.0.1', () => {
        resolve();
      });
    });
  };
  const close = async (): Promise<void> => {
    const running = server;
    server = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise<void>((resolve) =>
      running.close(() => {
        resolve();
      }),
    );
  };
  await listen();
  return {
    issuer,
    async token({ role, jurisdiction, sub, audience = TEST_AUDIENCE, ttlSeconds }) {
      const secret = `secret-of-${sub}-0123456789abcdef0123456789abcdef`;
      await new MemoryAdapter('Client').upsert(sub, {
        client_id: sub,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
        role,
        jurisdiction,
        token_ttl: ttlSeconds ?? 600,
      });
      const body = new URLSearchParams({ grant_type: 'client_credentials', resource: audience });
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(sub)}:${encodeURIComponent(secret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      const answer = (await response.json()) as { access_token?: string; error?: string };
      if (!answer.access_token)
        throw new Error(`the provider refused a token: ${JSON.stringify(answer)}`);
      return answer.access_token;
    },
    async rotateKeys() {
      keys = [await signingKey(), ...keys];
      await close();
      await listen();
    },
    stop: close,
    start: listen,
  };
}
