import { InputError } from "./stackConfig";

/** Whether a failure is the user's input (exit 2) rather than a bug of the tool (exit 3). */
const isInputError = (e: unknown): boolean => e instanceof InputError || (e instanceof Error && e.name === "ConfigError");

/** The one line a failure prints on stderr: the problem for bad input; for a bug, what failed, never a stack trace unless asked. */
export function failureLine(tool: string, e: unknown): string {
    const err: Error & { problems?: readonly string[] } = e instanceof Error ? e : new Error(String(e));
    if (err.name === "ConfigError" && err.problems)
        return `${tool}: ${err.problems.length} problem(s) in the stack config: ${err.problems.join("; ")}`;
    if (isInputError(err)) return `${tool}: ${err.message.replace(/\n\s*/g, " ")}`;
    if (process.env.VOTING_DEBUG) return `${tool}: internal error: ${err.stack ?? err.message}`;
    return `${tool}: internal error (a bug, please report it): ${err.name}: ${err.message.split("\n")[0]} (set VOTING_DEBUG=1 for the stack trace)`;
}

/** 2 for bad input, 3 for a bug. */
export const failureCode = (e: unknown): number => (isInputError(e) ? 2 : 3);

/**
 * Runs a CLI's main and exits with its code once stdout has drained (a plain process.exit would cut a
 * large report written to a pipe). Bad input exits 2 with one line on stderr; a reader that closes
 * the pipe early (`| head`) ends the run quietly.
 */
export function runCli(tool: string, main: () => Promise<number>): void {
    let code = 0;
    const exit = (c: number) => process.stdout.write("", () => process.exit(c));
    process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? code : 3));
    main().then(
        (c) => exit((code = c)),
        (e: unknown) => {
            code = failureCode(e);
            process.stderr.write(`${failureLine(tool, e)}\n`, () => exit(code));
        },
    );
}
