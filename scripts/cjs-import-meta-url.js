// Injected into the CommonJS builds (scripts/build.mjs): CommonJS has no import.meta, so import.meta.url is
// defined as this file URL of the output file itself.
import { pathToFileURL } from 'node:url';

export const __hpImportMetaUrl = pathToFileURL(__filename).href;
