/** The app's identity; electron-builder.yml's appId must match (test/main/builder-config.test.ts). */
export const APP_ID = 'org.latchkey.desktop';
export const PRODUCT_NAME = 'Latchkey';
