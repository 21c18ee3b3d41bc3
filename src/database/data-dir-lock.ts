import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Takes the lock file `<dataDir>.lock` for this process. PGlite opens its
 * folder without any lock, and two processes writing it at once corrupt
 * the database, so a second process fails here with the first one's
 * process id. A lock whose process no longer runs is taken over. Returns
 * the function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = (): void => {
        if (!released) {
          released = true;
          rmSync(lockFile, { force: true });
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `the embedded database in ${dataDir} is in use by process ${holder}: stop that process first, or set WEFT_DATA_DIR to another folder`,
      );
    }
    // The process that took the lock has ended without releasing it.
    rmSync(lockFile, { force: true });
  }
  throw new Error(`could not take the lock ${lockFile}: remove the file if no Weft process runs`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
