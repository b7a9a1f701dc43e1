import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIALS, initialPassword, secretName, secretPayload, type CloudSecretsArgs } from "../credentials";
import { AUDIT_LOG_RETENTION_DAYS, cloudTags } from "../standards";
import { awsKmsKeyArgs } from "./keys";
import { ROTATION_HANDLER_SOURCE } from "./rotationHandler";

type AwsSecretsArgs = CloudSecretsArgs & { cloud: { provider: "aws" } };

/** A Secrets Manager entry encrypted with the platform's key, recoverable for 30 days after deletion. */
export function awsSecretArgs(a: AwsSecretsArgs, name: string, keyArn: pulumi.Input<string>): aws.secretsmanager.SecretArgs {
    return {
        name,
        description: `${name}: password of the voting platform, rotated every ${a.secrets.rotationDays} days`,
        kmsKeyId: keyArn,
        recoveryWindowInDays: 30,
        region: a.cloud.region,
        tags: cloudTags(a.stack),
    };
}

/** Checklist 6.1.3: rotation by the platform's Lambda at least every `secrets.rotationDays`. */
export function awsRotationArgs(
    a: AwsSecretsArgs,
    secretId: pulumi.Input<string>,
    lambdaArn: pulumi.Input<string>,
): aws.secretsmanager.SecretRotationArgs {
    return {
        secretId,
        region: a.cloud.region,
        rotationLambdaArn: lambdaArn,
        rotationRules: { automaticallyAfterDays: a.secrets.rotationDays },
        rotateImmediately: false,
    };
}

/** The rotation Lambda's rights: the four rotation calls on the platform's secrets, with their key. */
export function rotationLambdaPolicy(secretArns: string[], keyArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage",
                ],
                Resource: secretArns,
            },
            { Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: keyArn },
        ],
    });
}

/** External Secrets' rights: read the platform's secrets, decrypt them, nothing else. */
export function secretReaderPolicy(secretArns: string[], keyArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns },
            { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
        ],
    });
}

/** Secrets Manager entries for the platform's passwords, their key, and the Lambda that rotates them. */
export function awsSecrets(name: string, a: AwsSecretsArgs, parent: pulumi.Resource): void {
    const opts = { parent };
    const region = a.cloud.region;
    const key = new aws.kms.Key(`${name}-key`, awsKmsKeyArgs(`Credentials of voting-${a.stack}`, region, a.stack), { ...opts, protect: true });
    const secrets = CREDENTIALS.map((credential) => {
        const secret = new aws.secretsmanager.Secret(
            `${name}-${credential}`,
            awsSecretArgs(a, secretName(a.secrets.backend, a.stack, credential), key.arn),
            opts,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-${credential}`,
            { secretId: secret.id, region, secretString: secretPayload(initialPassword(`${name}-${credential}-initial`, parent).result) },
            // Rotation writes new versions outside Pulumi; the initial value is only ever set once.
            { parent, ignoreChanges: ["secretString"] },
        );
        return secret;
    });
    const arns = pulumi.all(secrets.map((s) => s.arn));

    const functionName = `voting-${a.stack}-rotate-credentials`;
    const logs = new aws.cloudwatch.LogGroup(
        `${name}-rotation`,
        { name: `/aws/lambda/${functionName}`, region, retentionInDays: AUDIT_LOG_RETENTION_DAYS, tags: cloudTags(a.stack) },
        opts,
    );
    const role = new aws.iam.Role(
        `${name}-rotation`,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        opts,
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-rotation-logs`,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
        opts,
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-rotation`,
        { role: role.id, policy: pulumi.all([arns, key.arn]).apply(([s, k]) => rotationLambdaPolicy(s, k)) },
        opts,
    );
    const lambda = new aws.lambda.Function(
        `${name}-rotation`,
        {
            name: functionName,
            region,
            description: "Rotates the voting platform's PostgreSQL and Redis passwords in Secrets Manager",
            runtime: "nodejs20.x",
            handler: "index.handler",
            role: role.arn,
            timeout: 30,
            memorySize: 128,
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(ROTATION_HANDLER_SOURCE) }),
            loggingConfig: { logFormat: "JSON", logGroup: logs.name },
            tags: cloudTags(a.stack),
        },
        { parent, dependsOn: [policy] },
    );
    secrets.forEach((secret, i) => {
        const credential = CREDENTIALS[i];
        const permission = new aws.lambda.Permission(
            `${name}-${credential}-rotation`,
            { function: lambda.name, region, action: "lambda:InvokeFunction", principal: "secretsmanager.amazonaws.com", sourceArn: secret.arn },
            opts,
        );
        new aws.secretsmanager.SecretRotation(`${name}-${credential}`, awsRotationArgs(a, secret.id, lambda.arn), {
            parent,
            dependsOn: [permission],
        });
    });

    if (a.reader) {
        new aws.iam.RolePolicy(
            `${name}-reader`,
            { role: a.reader.principal, policy: pulumi.all([arns, key.arn]).apply(([s, k]) => secretReaderPolicy(s, k)) },
            opts,
        );
    }
}
