import { describe, isRecord, namespaceOf, nameOf, record, show, strings } from "../../lib/k8s";
import { idMatches } from "../../lib/matrix";
import { defineRule } from "../../lib/rule";

/** P.3: a Job that can run forever, retry forever, or pile up finished pods is an outage waiting to happen. */
export const requireJobLimits = defineRule<{ replacedEachRelease: string[] }>({
    scope: "resource",
    name: "require-job-limits",
    description:
        "Jobs set activeDeadlineSeconds, a finite backoffLimit, ttlSecondsAfterFinished and restartPolicy OnFailure or Never; CronJobs also set startingDeadlineSeconds and a concurrencyPolicy other than Allow.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set the missing fields on the Job (or the CronJob's jobTemplate.spec).",
    checklist: ["P.3"],
    peers: {
        "kube-score": ["cronjob-has-deadline", "cronjob-restartpolicy"],
        "kube-linter": ["job-ttl-seconds-after-finished"],
        kyverno: ["add-ttl-jobs"],
    },
    kinds: ["Job", "CronJob"],
    settings: {
        replacedEachRelease: {
            type: "array",
            items: { type: "string" },
            description:
                "Jobs (namespace/name; a trailing * matches a per-release suffix) that the deploy tool names per release and deletes when the next release replaces them: they need no ttlSecondsAfterFinished.",
            default: [],
        },
    },
    check: (obj, cfg) => {
        const job = obj.kind === "Job" ? obj.spec : obj.kind === "CronJob" ? record(record(obj.spec).jobTemplate).spec : undefined;
        if (!isRecord(job)) return [];
        const out: string[] = [];
        const say = (m: string) => out.push(`${describe(obj)}: ${m}`);
        if (typeof job.activeDeadlineSeconds !== "number") say("sets no activeDeadlineSeconds; a stuck run would never end");
        if (job.backoffLimit === undefined) say("sets no backoffLimit (Kubernetes retries 6 times); set it explicitly");
        const replaced = obj.kind === "Job" && strings(cfg.replacedEachRelease).some((p) => idMatches(p, `${namespaceOf(obj)}/${nameOf(obj)}`));
        if (typeof job.ttlSecondsAfterFinished !== "number" && !replaced) say("sets no ttlSecondsAfterFinished; finished pods pile up");
        const rp = record(record(job.template).spec).restartPolicy;
        if (rp !== "OnFailure" && rp !== "Never") say(`has restartPolicy ${show(rp ?? "unset")}; use OnFailure or Never`);
        if (obj.kind === "CronJob") {
            const spec = record(obj.spec);
            if (typeof spec.startingDeadlineSeconds !== "number") say("sets no startingDeadlineSeconds; missed runs start late and in bursts");
            if ((spec.concurrencyPolicy ?? "Allow") === "Allow") say("allows overlapping runs; set concurrencyPolicy: Forbid");
        }
        return out;
    },
});
