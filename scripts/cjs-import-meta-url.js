// Injected into the CommonJS builds (scripts/build.mjs): CommonJS has no import.meta, so import.meta.url is
// defined as this object's url, the file URL of the output file itself, made on first use (pathToFileURL costs
// ~0.4 ms, and a read-only command never asks for it). import.meta.dirname is defined as __dirname.
import { pathToFileURL } from 'node:url';

export const __hpImportMeta = {
  get url() {
    return pathToFileURL(__filename).href;
  },
};
