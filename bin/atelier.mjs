#!/usr/bin/env node
// `atelier` under plain Node: registers tsx so the TypeScript sources run as they are, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/host/cli.ts');
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now; should a stray handle linger, it must not keep the terminal waiting.
setTimeout(() => process.exit(code), 3000).unref();
