// A real OpenID Connect provider for the tests of sign-in through the municipality's identity provider
// (tests/web/test_oidc.py): the npm package oidc-provider on Node.js, on loopback only.
//
//   node tests/oidc/provider.mjs <port>
//
// Environment: OIDC_ISSUER (default http://localhost:<port>), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_REDIRECT_URI and OIDC_POST_LOGOUT_REDIRECT_URI (the service's callback and sign-in page).
// One confidential client, PKCE required (S256, the only method oidc-provider supports). The login form is
// oidc-provider's development interaction: any password, and the login name is the account id below. The
// `roles` claim belongs to the scope `roles`; as the standard says (conformIdTokenClaims), a claim asked for
// through a scope is in the userinfo answer and not in the ID token, unless OIDC_ROLES_IN_ID_TOKEN=1.
// Prints "ready <issuer>" on stdout when it listens.

import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node provider.mjs <port>');
  process.exit(2);
}
const issuer = process.env.OIDC_ISSUER || `http://localhost:${port}`;
const nodig = (naam) => {
  const waarde = process.env[naam];
  if (!waarde) {
    console.error(`${naam} is not set`);
    process.exit(2);
  }
  return waarde;
};

// The test accounts: the `roles` claim as a list, as a string, with an unknown value next to a role, absent,
// and with two different roles.
const ACCOUNTS = {
  indicatiesteller: { roles: ['indicatiesteller'] },
  deskundige: { roles: 'hg_deskundige' },
  beleidsmaker: { roles: ['beleidsmaker', 'medewerker'] },
  beheerder: { roles: ['beheerder'] },
  zonderrol: {},
  tweerollen: { roles: ['indicatiesteller', 'beleidsmaker'] },
};

const pagina = (titel, inhoud) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${titel}</title>
</head><body><h1>${titel}</h1>${inhoud}</body></html>`;

const configuration = {
  clients: [{
    client_id: nodig('OIDC_CLIENT_ID'),
    client_secret: nodig('OIDC_CLIENT_SECRET'),
    redirect_uris: [nodig('OIDC_REDIRECT_URI')],
    post_logout_redirect_uris: [nodig('OIDC_POST_LOGOUT_REDIRECT_URI')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'roles'],
  claims: { openid: ['sub'], roles: ['roles'] },
  conformIdTokenClaims: process.env.OIDC_ROLES_IN_ID_TOKEN !== '1',
  cookies: { keys: ['test-only-cookie-key-not-secret'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // No external fonts (the default pages load them): a test machine reaches nothing but loopback.
      logoutSource: async (ctx, form) => {
        ctx.body = pagina('Sign out', `${form}<button autofocus type="submit" form="op.logoutForm" value="yes"
          name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = pagina('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = pagina('Error', `<pre>${JSON.stringify(out).replace(/[<>&]/g, '')}</pre>`);
  },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, err) => console.error('server_error', err));
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
