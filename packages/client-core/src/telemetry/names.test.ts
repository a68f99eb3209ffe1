import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTR, EVENT, METRIC } from './names.js';

const doc = readFileSync(new URL('../../../../docs/telemetry.md', import.meta.url), 'utf8');

describe('docs/telemetry.md', () => {
  it.each([...Object.values(METRIC), ...Object.values(ATTR), ...Object.values(EVENT)])(
    'documents %s',
    (name) => {
      expect(doc).toContain(`\`${name}\``);
    },
  );
});
