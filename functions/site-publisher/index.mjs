/**
 * The entry Lambda's Node runtime loads (the image's CMD): it loads JavaScript only, so the TypeScript loader the
 * repository's scripts run under (tsx, as `npm run` does) is registered before the handler is imported. Nothing is
 * bundled: the site build runs the repository's own files, in the image as in CodeBuild.
 */
import { register } from 'tsx/esm/api';

register();

const { handler: publish } = await import('./handler.ts');

export const handler = publish;
