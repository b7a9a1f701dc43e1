import * as assert from "assert";
import { isRegistryTokenKind, registryTokenKind } from "../../../policies/lib/registryTokens";

describe("registryTokenKind", () => {
    it("names the ECR generator for an account's ECR host, FIPS and China partitions included", () => {
        for (const host of [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
        ])
            assert.strictEqual(registryTokenKind(host), "ECRAuthorizationToken", host);
    });

    it("names no generator for a host that only resembles ECR's", () => {
        for (const host of [
            "12345678901.dkr.ecr.eu-west-1.amazonaws.com",
            "abcdefghijkl.dkr.ecr.eu-west-1.amazonaws.com",
            "x123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example",
            "123456789012.dkr.ecr-.eu-west-1.amazonaws.com",
            "123456789012.dkr.ecr.EU_WEST.amazonaws.com",
        ])
            assert.strictEqual(registryTokenKind(host), undefined, host);
    });

    it("names the Google generator for Artifact Registry and GCR hosts", () => {
        for (const host of ["europe-west1-docker.pkg.dev", "docker.pkg.dev", "gcr.io", "eu.gcr.io"])
            assert.strictEqual(registryTokenKind(host), "GCRAccessToken", host);
    });

    it("names no generator for a host that only contains a Google registry's name", () => {
        for (const host of ["evil.docker.pkg.dev", "docker.pkg.dev.evil.example", "x-gcr.io", "gcr.io.evil.example", "EU-docker.pkg.dev"])
            assert.strictEqual(registryTokenKind(host), undefined, host);
    });

    it("names the ACR generator for a registry of azurecr.io, and none for a host around one", () => {
        assert.strictEqual(registryTokenKind("votingprod.azurecr.io"), "ACRAccessToken");
        for (const host of ["x.votingprod.azurecr.io", "votingprod.azurecr.io.evil.example", ".azurecr.io", "voting-prod.azurecr.io"])
            assert.strictEqual(registryTokenKind(host), undefined, host);
    });

    it("names no generator for other registries", () => {
        for (const host of ["ghcr.io", "docker.io", "registry.example.com:5000"]) assert.strictEqual(registryTokenKind(host), undefined, host);
    });
});

describe("isRegistryTokenKind", () => {
    it("takes each generator's name, and nothing else, not even a list holding one", () => {
        for (const kind of ["ECRAuthorizationToken", "GCRAccessToken", "ACRAccessToken"]) assert.strictEqual(isRegistryTokenKind(kind), true, kind);
        for (const kind of ["toString", "ecrAuthorizationToken", ["ECRAuthorizationToken"], undefined, 5])
            assert.strictEqual(isRegistryTokenKind(kind), false, String(kind));
    });
});
