// The reference server (examples/server.ts), also serving the test page and the bundle, so the page
// and the stream share one origin: no CORS, no proxy, nothing between the browser and the server
// under test. It uses the server's own `intercept` hook, told apart by the browser's Sec-Fetch-Dest
// header (the reference server sees every path alike).

import { type Connection, type ReferenceServer, startReferenceServer } from '../../examples/server.js';

/** The reference server plus what the browser suite needs around it. */
export interface PageServer extends ReferenceServer {
  /** The page that loads the bundle. */
  page: string;
  /** Protocol requests and upgrades only (not the page, the bundle or a favicon). */
  protocol(): Connection[];
  /** Answer every protocol request (not WebSocket upgrades) with this status from now on; undefined serves again. */
  refuse(status: number | undefined): void;
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>anywire browser suite</title>
<script type="module" src="/__anywire/harness.js"></script>
`;

/** A request for the page or one of its assets, not for the stream. */
const isAsset = (c: Connection): boolean => {
  const dest = c.headers['sec-fetch-dest'];
  return dest !== undefined && dest !== 'empty' && dest !== 'websocket';
};

/** Starts a reference server that also serves the page (HTML) and `bundle` (the harness script). */
export async function startPageServer(bundle: string): Promise<PageServer> {
  let refused: number | undefined;
  const server = await startReferenceServer({
    intercept(c) {
      const dest = c.headers['sec-fetch-dest'];
      if (dest === 'document') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
      if (dest === 'script') return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: bundle };
      if (isAsset(c)) return { status: 404 };
      return refused !== undefined && c.kind !== 'websocket' ? { status: refused } : undefined;
    },
  });
  return Object.assign(server, {
    page: new URL('/__anywire/page', server.url).href,
    protocol: () => server.connections.filter((c) => !isAsset(c)),
    refuse: (status: number | undefined) => {
      refused = status;
    },
  });
}
