import type { Config } from '../config.js';

/**
 * How the workbench page signs its users in, as `GET /workbench/config` answers it (public: a
 * client id and an issuer are no secrets):
 * - `oidc`: authorization code with PKCE at OIDC_ISSUER as the public client OIDC_CLIENT_ID;
 * - `development`: no provider and not production — pick a role and a place, `POST /dev/token`
 *   mints a local token;
 * - `unavailable`: a provider without a workbench client id, or production without a provider.
 */
export type WorkbenchSignIn =
  | {
      readonly signIn: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
      readonly scope: string;
    }
  | { readonly signIn: 'development' }
  | { readonly signIn: 'unavailable'; readonly reason: string };

/** Whether the development sign-in (and its token route) exists: never in production or with a provider. */
export function developmentSignIn(config: Config): boolean {
  return config.NODE_ENV !== 'production' && config.OIDC_ISSUER === undefined;
}

export function workbenchSignIn(config: Config): WorkbenchSignIn {
  if (config.OIDC_ISSUER !== undefined) {
    return config.OIDC_CLIENT_ID === undefined
      ? { signIn: 'unavailable', reason: 'OIDC_CLIENT_ID is not set: the workbench has no client' }
      : {
          signIn: 'oidc',
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          scope: config.OIDC_SCOPE,
        };
  }
  if (developmentSignIn(config)) return { signIn: 'development' };
  return {
    signIn: 'unavailable',
    reason: 'production without OIDC_ISSUER: the workbench signs in only through a provider',
  };
}
