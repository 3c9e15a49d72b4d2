// Entry for `npm run dev:web` and manual browser work: a studio plus the loopback host, serving the built
// renderer (--static) or Vite's dev server (--dev). Prints the URL to open; Ctrl+C closes everything.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStudio } from '../studio';
import { startHost, type DevMiddleware, type RunningHost } from './server';
import { atelierVersion } from './version';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `npm run build:web` (vite build -c vite.web.config.ts) writes the renderer. */
const DEFAULT_STATIC_DIR = 'out/web';
/** A folder in the working tree, so a dev session never touches the desktop app's real data. */
const DEFAULT_DEV_DATA_DIR = '.atelier-dev-data';

const USAGE = `Usage: tsx electron/host/serve.ts [--data-dir DIR] [--static DIR | --dev] [--port N] [--json]
  --data-dir DIR  studio data (default: $ATELIER_DATA_DIR, else ./${DEFAULT_DEV_DATA_DIR})
  --static DIR    serve a built renderer (default: ${DEFAULT_STATIC_DIR}; build it with: npm run build:web)
  --dev           serve renderer/ through Vite's dev server with hot reload
  --port N        listen on this port of 127.0.0.1 (default: a free one)
  --json          print the address as one JSON line (for tests)
`;

interface ServeOptions {
  dataDir: string;
  staticDir: string | null;
  dev: boolean;
  port: number;
  json: boolean;
}

function readOptions(argv: string[]): ServeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      static: { type: 'string' },
      dev: { type: 'boolean' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.dev && values.static) throw new Error('Choose either --static or --dev.');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not "${values.port}".`);
  const dev = values.dev ?? false;
  const staticDir = dev ? null : path.resolve(values.static ?? path.join(REPO_ROOT, DEFAULT_STATIC_DIR));
  if (staticDir && !(existsSync(path.join(staticDir, 'index.html')) && statSync(staticDir).isDirectory())) {
    throw new Error(`${staticDir} holds no built renderer (index.html). Run "npm run build:web" first, or use --dev.`);
  }
  return {
    dataDir: path.resolve(values['data-dir'] ?? process.env.ATELIER_DATA_DIR ?? DEFAULT_DEV_DATA_DIR),
    staticDir,
    dev,
    port,
    json: values.json ?? false,
  };
}

async function main(): Promise<void> {
  let options: ServeOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    process.exit(1);
  }

  const studio = createStudio({ dataDir: options.dataDir, appVersion: atelierVersion(), transport: 'host' });
  let closeDev: (() => Promise<void>) | null = null;
  let host: RunningHost;
  try {
    if (options.dev) {
      // Vite attaches its hot-reload socket to our HTTP server, so it exists before Vite does; requests
      // arriving in between are asked to retry.
      let middleware: DevMiddleware | null = null;
      host = await startHost({
        studio,
        port: options.port,
        devMiddleware: (req, res, next) => {
          if (middleware) return middleware(req, res, next);
          res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('Starting…');
        },
      });
      const { createLogger, createServer } = await import('vite');
      // Standard output carries only the address line (tests read it); Vite's chatter goes to stderr.
      const logger = createLogger('info');
      logger.info = (msg) => void process.stderr.write(`${msg}\n`);
      const vite = await createServer({
        configFile: path.join(REPO_ROOT, 'vite.web.config.ts'),
        server: { middlewareMode: true, ws: { server: host.httpServer } },
        appType: 'spa',
        customLogger: logger,
        clearScreen: false,
      });
      middleware = vite.middlewares;
      closeDev = () => vite.close();
    } else {
      host = await startHost({ studio, port: options.port, staticDir: options.staticDir ?? undefined });
    }
  } catch (e) {
    await studio.close();
    throw e;
  }

  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ url: host.url, origin: host.origin, port: host.port, token: host.token, dataDir: options.dataDir, dev: options.dev })}\n`,
    );
  } else {
    process.stdout.write(`Atelier Studio (web) at ${host.url}\n`);
    process.stderr.write(`Data in ${options.dataDir}. Press Ctrl+C to stop.\n`);
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130); // a second Ctrl+C does not wait
    stopping = true;
    void (async () => {
      try {
        await host.close();
        await closeDev?.();
        await studio.close();
        process.exit(0);
      } catch (e) {
        process.stderr.write(`The studio did not close cleanly: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(2);
      }
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`Atelier's web host could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
