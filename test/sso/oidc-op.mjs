// A real OpenID provider (the oidc-provider package) for the tests, in its own Node process (it is an ES
// module). Argument: JSON { port, clientId, clientSecret, redirectUri, postLogoutRedirectUri, accounts }.
// The development login form accepts any password for an account named in `accounts`; consent is implied.
// POST /__clock?offset=<seconds> moves this provider's clock (a test of clock skew), and only this process's.
import http from 'node:http';
import { URL } from 'node:url';
import Provider from 'oidc-provider';

const realNow = Date.now;
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;

const o = JSON.parse(process.argv[2]);
const provider = new Provider(`http://127.0.0.1:${o.port}`, {
  clients: [
    {
      client_id: o.clientId,
      client_secret: o.clientSecret,
      redirect_uris: [o.redirectUri],
      post_logout_redirect_uris: [o.postLogoutRedirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email'], profile: ['name', 'unit', 'job_role'] },
  cookies: { keys: ['test-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, sub) {
    const claims = o.accounts[sub];
    return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
  },
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
const handle = provider.callback();
http
  .createServer((req, res) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    if (req.method === 'POST' && url.pathname === '/__clock') {
      offsetMs = Number(url.searchParams.get('offset') ?? 0) * 1000;
      return res.writeHead(204).end();
    }
    handle(req, res);
  })
  .listen(o.port, '127.0.0.1', () => process.stdout.write('ready\n'));
