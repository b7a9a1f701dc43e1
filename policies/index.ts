import { PolicyPack } from "@pulumi/policy";
import { toPolicy } from "./lib/crossguard";
import { RULES } from "./rules";

new PolicyPack("voting-production-readiness", {
    policies: RULES.map(toPolicy),
});
