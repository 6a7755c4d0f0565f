// A standards-compliant OpenID Connect provider the project did not write: panva's oidc-provider
// (OpenID Certified), on loopback, for tests/integration/test_oidc_interop.py. Configured from one
// JSON argument:
//   {port, clientId, clientSecret, redirectUri, authMethod, accounts: {<sub>: {<claims>}}}
// Its development interactions (a login form taking any account id and password, then a consent
// form) stand in for a person signing in. Prints "ready <issuer>" once it listens.
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: [settings.redirectUri],
      token_endpoint_auth_method: settings.authMethod,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  // Standard claims by scope (OIDC Core §5.4), plus the citizen's ID number under a scope of its own,
  // and a legal person's (法人) organisation under another: its credit code and name.
  claims: {
    openid: ['sub'],
    profile: ['name', 'gender', 'birthdate'],
    phone: ['phone_number', 'phone_number_verified'],
    id_card: ['id_number'],
    org: ['credit_code', 'org_name'],
  },
  scopes: ['openid', 'profile', 'phone', 'id_card', 'org'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['interop-test-only'] },
  async findAccount(ctx, sub) {
    const claims = settings.accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
});

// oidc-provider accepts a client's secret in either place whichever method the client registered
// (RFC 6749 §2.3.1 allows both). Providers that require client_secret_post refuse HTTP Basic, so
// this one is made to as well: the test then proves which method the API really uses.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/token') {
    const basic = /^basic /i.test(ctx.get('authorization'));
    if (basic !== (settings.authMethod === 'client_secret_basic')) {
      ctx.status = 401;
      ctx.body = { error: 'invalid_client', error_description: `this client authenticates with ${settings.authMethod}` };
      return;
    }
  }
  await next();
});

const server = provider.listen(settings.port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
