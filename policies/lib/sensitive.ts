/** What counts as a credential when it appears in plain text. */

const SENSITIVE_NAME =
    /(passw(or)?d|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|account[_-]?key|batch[_-]?key|signing[_-]?key|encryption[_-]?key|key[_-]?content|credential)/i;
const PRIVATE_KEY = /-{3,}\s*BEGIN [A-Z ]*PRIVATE KEY\s*-{3,}/;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Why a name/value pair looks like a credential, or undefined. */
export function sensitiveReason(name: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (PRIVATE_KEY.test(value)) return "holds a private key";
    if (URL_WITH_PASSWORD.test(value)) return "holds a URL with a password in it";
    if (SENSITIVE_NAME.test(name)) return "looks like a credential";
    return undefined;
}
