import express, { type Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';

// Not named `require`: compiled to CommonJS that name is the module wrapper's own parameter.
const requireHere = createRequire(__filename);

/** Every file GraphiQL needs, served from our own node_modules: the machines it runs on have no internet. */
const pkgDir = (name: string) => path.dirname(requireHere.resolve(`${name}/package.json`));
const assets: Record<string, string> = {
  'react.js': path.join(pkgDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(pkgDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(pkgDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(pkgDir('graphiql'), 'graphiql.min.css'),
  'graphql-ws.js': path.join(pkgDir('graphql-ws'), 'umd/graphql-ws.min.js'),
};

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(assets)) {
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: '1d', immutable: true });
    });
  }
  return router;
}

const DEFAULT_QUERY = `# dfdg-graphql. Put a token in the Headers tab below:
#   {"Authorization": "Bearer <npm run token -- --role JOBCENTER --org 101>"}
# 0101054321 is a demo borger of jobcenter 101 (seeded when SEED_DEMO is not false).
query Borger {
  borger(cpr: "0101054321") {
    cpr
    fornavn
    efternavn
    jobcenter
    kontaktgruppe { kontaktgruppe start slut }
  }
}
`;

/**
 * The page. Queries and mutations go over HTTP with the headers from the editor; subscriptions go over
 * graphql-ws on the same path, with the editor's Authorization header as connectionParams, so one
 * token works for both.
 */
export function graphiqlHtml(): string {
  return `<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8" />
  <title>dfdg-graphql · GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="icon" href="data:," />
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Indlæser GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphql-ws.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    (function () {
      var httpUrl = location.origin + '/graphql';
      var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
      var wsClients = {};
      function wsClient(auth) {
        var key = auth || '';
        if (!wsClients[key]) {
          wsClients[key] = graphqlWs.createClient({
            url: wsUrl,
            lazy: true,
            retryAttempts: 5,
            connectionParams: auth ? { Authorization: auth } : {},
          });
        }
        return wsClients[key];
      }
      function header(headers, name) {
        if (!headers) return undefined;
        for (var k in headers) if (k.toLowerCase() === name) return headers[k];
        return undefined;
      }
      function isSubscription(params) {
        var q = params.query || '';
        if (params.operationName) {
          var re = new RegExp('subscription\\\\s+' + params.operationName + '\\\\b');
          return re.test(q);
        }
        return /^\\s*(#[^\\n]*\\n\\s*)*subscription\\b/.test(q);
      }
      function fetcher(params, opts) {
        var headers = Object.assign({}, (opts && opts.headers) || {});
        // The default headers hold "Bearer " with no token yet: send no Authorization header then, so
        // the schema still loads (anonymous introspection) instead of failing with 401.
        for (var k in headers) {
          if (k.toLowerCase() === 'authorization' && /^\\s*(bearer\\s*)?$/i.test(String(headers[k] || ''))) delete headers[k];
        }
        if (isSubscription(params)) {
          var auth = header(headers, 'authorization');
          // The server closes a graphql-ws connection without a token at once: say why instead.
          if (!auth) return Promise.resolve({ errors: [{ message: 'Log ind kræves: send et gyldigt bearer-token', extensions: { code: 'UNAUTHENTICATED' } }] });
          var client = wsClient(auth);
          return {
            subscribe: function (sink) {
              var dispose = client.subscribe(params, {
                next: function (v) { sink.next(v); },
                // A close event shows as {} in GraphiQL: its code and reason are what the user needs.
                error: function (e) { sink.error(e && typeof e.code === 'number' ? new Error('Forbindelsen blev lukket: ' + e.code + ' ' + (e.reason || '')) : e); },
                complete: function () { sink.complete(); },
              });
              return { unsubscribe: dispose };
            },
          };
        }
        var h = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, headers);
        return fetch(httpUrl, { method: 'POST', headers: h, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
      }
      var root = ReactDOM.createRoot(document.getElementById('graphiql'));
      root.render(React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
        defaultHeaders: '{\\n  "Authorization": "Bearer "\\n}',
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
      }));
    })();
  </script>
</body>
</html>`;
}
