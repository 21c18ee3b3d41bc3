import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

// rocrate-validator (PyPI package roc-validator, pinned in
// test/fixtures/ro-crate/requirements.txt) in a virtual environment under
// .cache/, created again only when the requirements file changes. Its
// RO-Crate 1.2 profile checks exported crates. The validator reads the
// crate's @context from https://w3id.org/ro/crate/1.2/context; no test may
// reach that host, so validate_crate.py serves that one URL from
// context-1.2-subset.json (the terms Weft writes, mapped to the IRIs of the
// official context) and fails every other request.

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const fixtures = path.join(root, 'test/fixtures/ro-crate');
const venv = path.join(root, '.cache/rocrate-validator-venv');
const python = path.join(venv, 'bin/python');

export const SUBSET_CONTEXT_FILE = path.join(fixtures, 'context-1.2-subset.json');

/** One finding of the validator. */
export interface ValidatorIssue {
  severity: 'REQUIRED' | 'RECOMMENDED' | 'OPTIONAL';
  check: string;
  message: string;
}

/** Create the virtual environment, or reuse it when it was made from the same requirements. */
export async function ensureRoCrateValidator(): Promise<void> {
  const requirements = path.join(fixtures, 'requirements.txt');
  const digest = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const stamp = path.join(venv, '.requirements-sha256');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    return;
  }

  rmSync(venv, { recursive: true, force: true });
  await execFileAsync('python3', ['-m', 'venv', venv]);
  await execFileAsync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(stamp, digest);
}

/** Validate a crate ZIP against a profile (`ro-crate-1.2`) at a severity and return the issues. */
export async function validateRoCrate(
  zipFile: string,
  workDir: string,
  profile = 'ro-crate-1.2',
  severity: ValidatorIssue['severity'] = 'REQUIRED',
): Promise<{ passed: boolean; issues: ValidatorIssue[] }> {
  const args = [
    path.join(fixtures, 'validate_crate.py'),
    zipFile,
    SUBSET_CONTEXT_FILE,
    profile,
    severity,
    workDir,
  ];
  try {
    const { stdout } = await execFileAsync(python, args, { maxBuffer: 16 * 1024 * 1024 });
    return { passed: true, issues: parseIssues(stdout) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code === 1 && failed.stdout !== undefined) {
      return { passed: false, issues: parseIssues(failed.stdout) };
    }
    throw new Error(`rocrate-validator did not run: ${failed.stderr ?? String(error)}`);
  }
}

/** Extract a ZIP with Python's zipfile module from the same environment. */
export async function extractZip(zipFile: string, folder: string): Promise<void> {
  await execFileAsync(python, ['-m', 'zipfile', '-e', zipFile, folder]);
}

function parseIssues(stdout: string): ValidatorIssue[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ValidatorIssue);
}
