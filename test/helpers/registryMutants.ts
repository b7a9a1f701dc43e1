import * as path from "path";
import { runMutant, stackFacts, type StackFacts } from "../../checklist/evidence";
import { CHECKLIST } from "../../checklist/registry";
import { PACK_CONFIG_DIR, readPackConfig } from "../../tools/check";
import { rendered } from "./render";

/**
 * The rendered prod stack judged with prod's pack config. The render is shared by the test run; the judging
 * (a fraction of a second) is redone on each call, so neither a failure nor a verdict of the pack's code
 * outlives the test that produced it (a mutation run changes that code from one test to the next).
 */
async function prodFacts(): Promise<StackFacts> {
    const render = await rendered("prod");
    return stackFacts("prod", render, readPackConfig(path.join(PACK_CONFIG_DIR, "prod.json")));
}

async function runRegistryMutant(item: string, name: string) {
    const entry = CHECKLIST.find((i) => i.id === item);
    const m = entry?.mutants?.find((x) => x.name === name);
    if (!m) throw new Error(`the registry declares no mutant "${name}" for ${item}`);
    const r = runMutant(item, m, await prodFacts());
    if (r.outcome === "error") throw new Error(r.error);
    return r;
}

/**
 * Runs a mutant the checklist registry declares for an item over the rendered prod stack and gives the
 * mandatory violations that block it, as `policy: message`: what a rule's spec asserts it blocks.
 */
export async function registryMutantBlockers(item: string, name: string): Promise<string[]> {
    return (await runRegistryMutant(item, name)).blockers.map((v) => `${v.policy}: ${v.message}`);
}

/** The advisory violations a registry mutant draws on the rendered prod stack, as `policy: message`. */
export async function registryMutantWarnings(item: string, name: string): Promise<string[]> {
    return (await runRegistryMutant(item, name)).warnings.map((v) => `${v.policy}: ${v.message}`);
}
