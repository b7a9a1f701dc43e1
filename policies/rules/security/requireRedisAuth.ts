import { envNames, literalEnv, redisConfig, redisValue, serversOf, unexpandedRefs } from "../../lib/dataStores";
import { describe } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

const PASSWORD_WORD = /^[<>#!]/;

/**
 * Checklist 1.4.2: every redis-server requires a password (requirepass) or ACL users with passwords.
 * Read from the server's arguments and from its config file when a ConfigMap or Secret of the resource
 * set provides it; `$(VAR)` in an argument must name a variable of the container, or Kubernetes passes
 * the text itself and the password is the literal "$(VAR)". Bitnami's image is judged by its
 * REDIS_PASSWORD and ALLOW_EMPTY_PASSWORD variables. A config file the pack cannot read is not judged.
 */
export const requireRedisAuth = defineRule({
    scope: "stack",
    name: "require-redis-auth",
    description:
        "Every redis-server requires authentication: a non-empty requirepass (with any $(VAR) defined in the container), an aclfile, or ACL users that all have passwords; protected-mode off is never the only guard.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Pass --requirepass $(REDIS_PASSWORD) with REDIS_PASSWORD read from a Secret (or an aclfile / user directives with passwords), and keep every ACL user off nopass.",
    checklist: ["1.4.2"],
    check: (objects) => {
        const out: Finding[] = [];
        for (const obj of objects) {
            for (const server of serversOf(obj, "redis")) {
                const say = (m: string) => out.push({ object: obj, message: `${describe(obj)}: ${server.container.label} ${m}` });
                const c = server.container.container;
                const names = envNames(c);
                if (!server.argv) {
                    const empty = ["yes", "true", "1"].includes((literalEnv(c, "ALLOW_EMPTY_PASSWORD") ?? "").toLowerCase());
                    if (empty) say("allows an empty password (ALLOW_EMPTY_PASSWORD); set REDIS_PASSWORD from a Secret");
                    else if (!names.has("REDIS_PASSWORD") && !names.has("REDIS_PASSWORD_FILE"))
                        say("sets no REDIS_PASSWORD or REDIS_PASSWORD_FILE; set one from a Secret");
                    continue;
                }
                const cfg = redisConfig(server, objects);
                const unread = cfg.file !== undefined && cfg.file.content === undefined;
                const users = cfg.directives.get("user") ?? [];
                for (const u of users) {
                    if (u.includes("on") && u.some((w) => w.toLowerCase() === "nopass"))
                        say(`lets ACL user ${u[0] ?? "?"} in without a password (nopass); give it a password`);
                }
                const pass = redisValue(cfg, "requirepass");
                const missing = pass === undefined ? [] : unexpandedRefs(pass, names);
                if (missing.length > 0) {
                    say(
                        `passes requirepass ${pass}, but the container defines no ${missing.join(", ")}: Kubernetes leaves the text as it is and the password is that text; define it from a Secret`,
                    );
                    continue;
                }
                const fromEmptyVar = pass !== undefined && /^\$\(([^)]+)\)$/.test(pass) && literalEnv(c, pass.slice(2, -1)) === "";
                const secured =
                    (pass !== undefined && pass !== "" && !fromEmptyVar) ||
                    redisValue(cfg, "aclfile") !== undefined ||
                    users.some((u) => u[0] === "default" && (u.includes("off") || (u.some((w) => PASSWORD_WORD.test(w)) && !u.includes("nopass"))));
                if (secured || unread) continue;
                const open = (redisValue(cfg, "protected-mode") ?? "").toLowerCase() === "no" ? " and turns protected-mode off" : "";
                say(
                    `runs redis-server without authentication${open}: no requirepass, aclfile or password for the default user; pass --requirepass $(REDIS_PASSWORD) from a Secret`,
                );
            }
        }
        return out;
    },
});
