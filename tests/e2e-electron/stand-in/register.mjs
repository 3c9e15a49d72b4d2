// `node --import ./register.mjs …`: makes `import … from 'electron'` load the stand-in Electron in this folder.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
