import { describe, expect, it } from 'vitest';
import { importTypegenPeer, TypegenDependencyError } from './peers.js';

describe('typegen optional peers', () => {
  it('names the missing peer and the command that installs it', async () => {
    const missing = importTypegenPeer('plumbline-typegen-absent-peer');
    await expect(missing).rejects.toBeInstanceOf(TypegenDependencyError);
    await expect(missing).rejects.toMatchObject({
      code: 'TYPEGEN_DEPENDENCY_MISSING',
      dependency: 'plumbline-typegen-absent-peer',
    });
    await expect(missing).rejects.toThrow(
      /"plumbline-typegen-absent-peer".*optional peer dependency of @plumbline\/commerce-client.*npm install --save-dev openapi-typescript yaml swagger2openapi/,
    );
  });

  it('tells a missing peer from a peer that fails to load for another reason', async () => {
    // The peer is there but something it imports is not: that is not "install the peer".
    const broken = Object.assign(new Error("Cannot find package 'left-pad' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      importTypegenPeer('openapi-typescript', () => Promise.reject(broken)),
    ).rejects.toBe(broken);
    const missing = Object.assign(new Error("Cannot find module 'openapi-typescript'"), {
      code: 'MODULE_NOT_FOUND',
    });
    await expect(
      importTypegenPeer('openapi-typescript', () => Promise.reject(missing)),
    ).rejects.toMatchObject({
      code: 'TYPEGEN_DEPENDENCY_MISSING',
      dependency: 'openapi-typescript',
    });
  });

  it('loads an installed peer', async () => {
    const yaml = await importTypegenPeer<typeof import('yaml')>('yaml');
    expect(yaml.parse('a: 1')).toEqual({ a: 1 });
  });
});
