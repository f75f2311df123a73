import { APP_COMMIT, APP_VERSION } from '../version';

export async function versionCommand(): Promise<number> {
  console.log(`forte ${APP_VERSION} (${APP_COMMIT}) bun ${Bun.version} ${process.platform}-${process.arch}`);
  return 0;
}
