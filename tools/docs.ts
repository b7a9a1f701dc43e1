/**
 * Writes docs/policies.md from the rules and the pack configs.
 *
 *   npm run docs
 */
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policies/rules";
import { runCli } from "./lib/cli";
import { packConfigs } from "./lib/listPolicies";
import { POLICY_DOCS_FILE, renderPolicyDocs } from "./lib/policyDocs";
import { PROJECT_ROOT } from "./lib/stackConfig";

async function main(): Promise<number> {
    const text = renderPolicyDocs(RULES, packConfigs(path.join(PROJECT_ROOT, "policies", "config")), PROJECT_ROOT);
    fs.writeFileSync(path.join(PROJECT_ROOT, POLICY_DOCS_FILE), text);
    process.stdout.write(`${POLICY_DOCS_FILE}: ${RULES.length} policies\n`);
    return 0;
}

if (require.main === module) runCli("docs", main);
