// better-sqlite3-electron is an npm alias of better-sqlite3 13.2.0 (Node-API
// prebuilds that load in Electron's ABI); its API is better-sqlite3's.
declare module 'better-sqlite3-electron' {
  import Database from 'better-sqlite3';
  export default Database;
}
