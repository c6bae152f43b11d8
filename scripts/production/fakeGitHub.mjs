// A stand-in for GitHub's OAuth endpoints, on loopback, so the production sign-in runs end to end without GitHub.
// The backend reaches it through the GitHub provider's `enterpriseInstanceUrl`, which moves the authorize, token
// and profile URLs under one base URL.
//
// The test chooses who signs in next with `POST /test/next-login?login=<name>`; the authorization code, and the
// access token exchanged for it, remember that login, so later profile fetches (session refresh) still answer
// the same user. Prints `{"port": N}` on its first line of output once it listens.
import crypto from 'node:crypto';
import http from 'node:http';

const clientId = process.env.AUTH_GITHUB_CLIENT_ID;
const clientSecret = process.env.AUTH_GITHUB_CLIENT_SECRET;
if (!clientId || !clientSecret) {
  console.error(
    'AUTH_GITHUB_CLIENT_ID and AUTH_GITHUB_CLIENT_SECRET must be set',
  );
  process.exit(2);
}

let nextLogin;
const loginByCode = new Map();
const loginByToken = new Map();
const randomId = () => crypto.randomBytes(12).toString('hex');

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type':
      typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    return new URLSearchParams(Object.entries(JSON.parse(raw || '{}')));
  }
  return new URLSearchParams(raw);
}

function profileFor(login) {
  // The display name differs from the catalog's, so a page showing the catalog user proves the resolver ran.
  const id = parseInt(
    crypto.createHash('sha256').update(login).digest('hex').slice(0, 7),
    16,
  );
  return {
    login,
    id,
    node_id: `U_${id}`,
    name: `${login} on GitHub`,
    email: null,
    avatar_url: `https://avatars.example/u/${id}`,
    html_url: `https://github.example/${login}`,
    type: 'User',
  };
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  console.log(`${req.method} ${url.pathname}`);
  try {
    if (req.method === 'POST' && url.pathname === '/test/next-login') {
      nextLogin = url.searchParams.get('login') ?? undefined;
      return send(res, 204, '');
    }

    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri');
      if (url.searchParams.get('client_id') !== clientId || !redirectUri) {
        return send(res, 400, 'unknown client_id or no redirect_uri');
      }
      if (!nextLogin) {
        return send(
          res,
          409,
          'the test has not chosen who signs in (POST /test/next-login)',
        );
      }
      const code = randomId();
      loginByCode.set(code, nextLogin);
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      const state = url.searchParams.get('state');
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { location: target.toString() });
      return res.end();
    }

    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = await readForm(req);
      // passport-oauth2 sends the client credentials in the body; accept HTTP Basic too, as GitHub does.
      let id = form.get('client_id');
      let secret = form.get('client_secret');
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      if (basic) {
        [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
      }
      const login = loginByCode.get(form.get('code') ?? '');
      if (id !== clientId || secret !== clientSecret || !login) {
        return send(res, 401, { error: 'bad_verification_code' });
      }
      loginByCode.delete(form.get('code'));
      const token = `gho_${randomId()}`;
      loginByToken.set(token, login);
      const body = {
        access_token: token,
        token_type: 'bearer',
        scope: 'read:user',
      };
      if ((req.headers.accept ?? '').includes('application/json')) {
        return send(res, 200, body);
      }
      return send(res, 200, new URLSearchParams(body).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      });
    }

    if (req.method === 'GET' && url.pathname === '/api/v3/user') {
      const token =
        /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ??
        url.searchParams.get('access_token');
      const login = token && loginByToken.get(token);
      if (!login) return send(res, 401, { message: 'Bad credentials' });
      return send(res, 200, profileFor(login));
    }

    return send(res, 404, { message: 'Not Found' });
  } catch (error) {
    console.error(error);
    return send(res, 500, String(error));
  }
});

server.listen(Number(process.env.FAKE_GITHUB_PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
