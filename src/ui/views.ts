import { Eta } from 'eta';
import type { AssetStore } from '../assets/assets';
import * as format from './format';

export interface Views {
  render(name: string, data: Record<string, unknown>): string;
  exists(name: string): boolean;
}

/**
 * Eta over the layered asset store: `<data>/custom/views` overrides the embedded templates. Compiled
 * templates are cached under a key that includes a hash of their source, so editing a custom template
 * takes effect on the next request without a restart.
 */
export function createViews(assets: AssetStore): Views {
  const eta = new Eta({ cache: true, autoEscape: true, autoTrim: [false, 'nl'], varName: 'it', debug: false });
  const pathOf = (name: string) => `views/${name.replace(/^\/+/, '').replace(/\.eta$/, '')}.eta`;
  eta.resolvePath = function (template: string) {
    const path = pathOf(template);
    const source = assets.read(path);
    if (source === undefined) throw new Error(`Template not found: ${path}`);
    return `${path}#${Bun.hash(source).toString(36)}`;
  };
  eta.readFile = function (key: string) {
    const path = key.slice(0, key.lastIndexOf('#'));
    const source = assets.read(path);
    if (source === undefined) throw new Error(`Template not found: ${path}`);
    return source;
  };
  return {
    render(name, data) {
      return eta.render(name, { ...data, f: format });
    },
    exists(name) {
      return assets.read(pathOf(name)) !== undefined;
    },
  };
}
