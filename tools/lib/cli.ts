import { InputError } from "./stackConfig";

/**
 * Runs a CLI's main and exits with its code once stdout has drained (a plain process.exit
 * would cut a large report written to a pipe). Bad input exits 2 with one line on stderr.
 */
export function runCli(tool: string, main: () => Promise<number>): void {
    const exit = (code: number) => process.stdout.write("", () => process.exit(code));
    main().then(exit, (e: Error) => {
        const known = e instanceof InputError || e.name === "ConfigError";
        process.stderr.write(`${tool}: ${known ? e.message.replace(/\n\s*/g, " ") : (e.stack ?? String(e))}\n`, () => exit(known ? 2 : 3));
    });
}
