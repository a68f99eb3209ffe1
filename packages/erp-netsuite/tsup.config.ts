import { fileURLToPath } from 'node:url';
import { dualFormatConfig } from '../../scripts/tsup-dual-format.js';

export default dualFormatConfig({
  packageDir: fileURLToPath(new URL('.', import.meta.url)),
  entry: ['src/index.ts', 'src/testing.ts', 'src/cli.ts'],
  inlineInCommonJs: ['openapi-fetch'],
});
