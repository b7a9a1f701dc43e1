import { InputError } from "./stackConfig";

/**
 * Runs a CLI's main and exits with its code once stdout has drained (a plain process.exit
 * would cut a large report written to a pipe). Bad input exits 2 with one line on stderr.
 */
export function runCli(tool: string, main: () => Promise<number>): void {
    const exit = (code: number) => process.stdout.write("", () => process.exit(code));
    main().then(exit, (e: Error & { problems?: string[] }) => {
        const known = e instanceof InputError || e.name === "ConfigError";
        const message =
            e.name === "ConfigError" && e.problems
                ? `${e.problems.length} problem(s) in the stack config: ${e.problems.join("; ")}`
                : known
                  ? e.message.replace(/\n\s*/g, " ")
                  : (e.stack ?? String(e));
        process.stderr.write(`${tool}: ${message}\n`, () => exit(known ? 2 : 3));
    });
}
