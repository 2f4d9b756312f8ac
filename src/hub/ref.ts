/**
 * A Hugging Face Hub model id as a user types it: ORG/NAME, optionally @REVISION (a branch, tag or
 * commit; `refs/pr/N` too). Whether an argument is a Hub id or a path is decided at the edge: an
 * existing file or folder always wins, and only then is an argument of this shape a Hub id.
 */
export interface HubRef {
  /** ORG/NAME */
  repo: string;
  /** branch, tag or commit; "main" unless given */
  revision: string;
}

/** Hub names: letters, digits, '-', '_', '.'; not starting with '-' or '.' (huggingface_hub `validate_repo_id`). */
const NAME = '[A-Za-z0-9][A-Za-z0-9_.-]{0,95}';
const HUB_ID = new RegExp(`^(${NAME}/${NAME})(?:@([A-Za-z0-9][A-Za-z0-9_./-]{0,199}))?$`);
/** Endings that make a missing path look like a mistyped file, not a repo. */
const FILE_ENDINGS = /\.(?:json|ya?ml|safetensors|gguf|bin|pt|pth)$/i;

/** The Hub id an argument spells, or null when it cannot be one. */
export function parseHubRef(arg: string): HubRef | null {
  const m = HUB_ID.exec(arg);
  if (!m) return null;
  const repo = m[1]!;
  if (FILE_ENDINGS.test(repo) || repo.includes('..') || repo.endsWith('.') || m[2]?.includes('..')) return null;
  return { repo, revision: m[2] ?? 'main' };
}

export const showRef = (r: HubRef) => (r.revision === 'main' ? r.repo : `${r.repo}@${r.revision}`);
