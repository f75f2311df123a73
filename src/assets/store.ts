import { embeddedFiles } from './embedded.gen';
import { createAssetStore, type AssetStore } from './assets';

/** The asset store the running program uses: <data>/custom over what was embedded at build time. */
export function appAssets(customDir: string | null): AssetStore {
  return createAssetStore({ customDir, embedded: embeddedFiles });
}
