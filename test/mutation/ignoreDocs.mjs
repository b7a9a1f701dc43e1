/**
 * A Stryker ignorer: mutants inside a rule's prose (`description`, `remediationSteps`, a setting's
 * `description`) change what a person reads, never what the pack decides. They are reported as ignored,
 * with this reason, and left out of the score.
 */
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const PROSE = new Set(["description", "remediationSteps"]);

export const strykerPlugins = [
    declareValuePlugin(PluginKind.Ignore, "rule-docs", {
        shouldIgnore(path) {
            const node = path.node;
            if ((node.type === "ObjectProperty" || node.type === "Property") && !node.computed) {
                const key = node.key.type === "Identifier" ? node.key.name : node.key.value;
                if (PROSE.has(key)) return "rule prose: what a person reads, not what the pack decides";
            }
            return undefined;
        },
    }),
];
