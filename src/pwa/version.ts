// The app's version, set by the build (vite.config.ts `define`): package.json version plus SIGHTLINE_BUILD_LABEL.
declare const __APP_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
