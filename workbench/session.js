// The signed-in session lives in this tab only (sessionStorage): closing the tab signs out.

const TOKEN = 'workbench.token';
const KIND = 'workbench.signIn';

export function currentToken() {
  return sessionStorage.getItem(TOKEN);
}

/** Keeps the access token and how it was had (`oidc` or `development`). */
export function keepSession(token, kind) {
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(KIND, kind);
}

export function sessionKind() {
  return sessionStorage.getItem(KIND);
}

export function dropSession() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(KIND);
}
