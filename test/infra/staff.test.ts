import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CfnElement, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roles } from "#domain/principal.ts";
import { routes } from "#functions/routes.ts";
import { type BuiltApp, buildApp } from "../../infra/build-app.ts";
import { builtWebApp } from "../helpers/web-app.ts";

/** The dev stack as `cdk synth` builds it (cdk.json's context, cdk-nag included). */
let built: BuiltApp;
let template: Template;
let outdir: string;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "khuyenhoc-cdk-staff-"));
  const cdkJson = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../cdk.json"), "utf8"));
  built = buildApp({ webAssetDir: builtWebApp(), stage: "dev", outdir, context: cdkJson.context });
  template = Template.fromJSON(built.app.synth().getStackByName(built.stack.stackName).template);
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

const idOf = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(resource)) throw new Error(`${construct.node.path} has no resource`);
  return Stack.of(construct).getLogicalId(resource);
};

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
/** Every statement of the policies attached to a function's role. */
const statementsOf = (fn: { role?: IConstruct }): Statement[] => {
  if (fn.role === undefined) throw new Error("function without a role");
  const roleId = idOf(fn.role);
  return Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};

describe("the staff routes' authorizer", () => {
  it("puts the Cognito JWT authorizer on every staff route and on no public one", () => {
    // Prepare
    const [authorizerId] = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"));
    // Act
    const byKey = Object.fromEntries(
      Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map((r) => [
        r.Properties.RouteKey,
        { type: r.Properties.AuthorizationType, id: r.Properties.AuthorizerId },
      ]),
    );
    // Assess
    for (const route of routes) {
      const served = byKey[`${route.method} ${route.path}`];
      if (route.access === "staff") expect(served).toEqual({ type: "JWT", id: { Ref: authorizerId } });
      else expect(served).toEqual({ type: "NONE", id: undefined });
    }
    expect(routes.filter((r) => r.access === "staff")).toHaveLength(23);
  });

  it("checks tokens of the user pool, for the web client, from the Authorization header", () => {
    // Assess
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Audience: [{ Ref: idOf(built.stack.identity.webClient) }],
        Issuer: Match.objectLike({
          "Fn::Join": Match.arrayWith([Match.arrayWith([{ Ref: idOf(built.stack.identity.userPool) }])]),
        }),
      },
    });
  });
});

describe("the user pool", () => {
  it("takes no self sign-up, requires MFA and a strong password, and runs threat protection", () => {
    // Assess
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      UserPoolTier: "PLUS",
      DeletionProtection: "INACTIVE",
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it("has exactly one group per role", () => {
    // Act
    const groups = Object.values(template.findResources("AWS::Cognito::UserPoolGroup")).map(
      (g) => g.Properties.GroupName,
    );
    // Assess
    expect(groups.sort()).toEqual([...roles].sort());
  });

  it("gives the web app a public code + PKCE client that can read the unit but never write it", () => {
    // Act
    const [client] = Object.values(template.findResources("AWS::Cognito::UserPoolClient"));
    // Assess
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    // The app's own address, its distribution, unless a webAppUrl is given (test/infra/web.test.ts)
    expect(JSON.stringify(client?.Properties.CallbackURLs)).toContain("/auth/callback");
    expect(client?.Properties.ReadAttributes).toContain("custom:unit");
    expect(client?.Properties.WriteAttributes).not.toContain("custom:unit");
  });
});

describe("the vault", () => {
  it("wraps person keys with a customer managed KMS key that rotates", () => {
    // Assess
    expect(template.toJSON().Resources[idOf(built.stack.vault.key)].Properties.EnableKeyRotation).toBe(true);
  });

  it("keeps point-in-time recovery on the vault and none on the keys, so an erased key cannot be restored", () => {
    // Prepare
    const resources = template.toJSON().Resources;
    // Assess
    expect(resources[idOf(built.stack.vault.vault)].Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(resources[idOf(built.stack.vault.keys)].Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: false,
    });
  });
});

describe("least privilege around personal data", () => {
  const vaultIds = () => [
    idOf(built.stack.vault.vault),
    idOf(built.stack.vault.keys),
    idOf(built.stack.vault.key),
  ];

  it.each(["projector", "ingest", "campaignQuery"] as const)(
    "grants %s nothing on the vault, its keys or its key",
    (name) => {
      // Act
      const statements = JSON.stringify(statementsOf(built.stack.functions[name]));
      // Assess
      for (const id of vaultIds()) expect(statements).not.toContain(id);
      expect(statements).not.toMatch(/kms:/);
    },
  );

  it("grants audit only Query on the ledger's audit index", () => {
    // Act
    const statements = statementsOf(built.stack.staffFunctions.audit).filter(
      (s) => !String(s.Action).startsWith("logs:"),
    );
    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Action: "dynamodb:Query",
        Resource: {
          "Fn::Join": [
            "",
            [{ "Fn::GetAtt": [idOf(built.stack.tables.ledger), "Arn"] }, "/index/byUnitAndTime"],
          ],
        },
      }),
    ]);
  });

  it("grants unit-figures only Query on the projection table, and nothing on the vault", () => {
    // Act
    const statements = statementsOf(built.stack.staffFunctions.unitFigures).filter(
      (s) => !String(s.Action).startsWith("logs:"),
    );
    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Action: "dynamodb:Query",
        Resource: { "Fn::GetAtt": [idOf(built.stack.tables.projection), "Arn"] },
      }),
    ]);
  });

  it("grants beneficiaries the vault, the keys, the key's GenerateDataKey and Decrypt, and no more", () => {
    // Act
    const actions = statementsOf(built.stack.staffFunctions.beneficiaries).map((s) =>
      [s.Action].flat().sort(),
    );
    // Assess
    expect(actions).toEqual(
      expect.arrayContaining([
        ["dynamodb:GetItem", "dynamodb:PutItem"],
        ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
        ["kms:Decrypt", "kms:GenerateDataKey"],
        ["dynamodb:GetItem"],
        [
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
        ],
      ]),
    );
    expect(actions.flat().filter((a) => /\*/.test(a))).toEqual([]);
  });

  it("grants beneficiaries GetItem, PutItem, UpdateItem, Query and DeleteItem on the projection table itself, for sponsorship places, campaign registry items, restricted funds' commitments and the transfer review list", () => {
    // Act
    const updates = statementsOf(built.stack.staffFunctions.beneficiaries).filter((s) =>
      [s.Action].flat().includes("dynamodb:UpdateItem"),
    );
    // Assess: one statement, on the table and none of its indexes
    expect(updates).toEqual([
      expect.objectContaining({
        Action: [
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
        ],
        Resource: { "Fn::GetAtt": [idOf(built.stack.tables.projection), "Arn"] },
      }),
    ]);
  });

  it("tells only the beneficiaries function where the vault and its key are", () => {
    // Prepare
    const env = (fn: IConstruct) => template.toJSON().Resources[idOf(fn)].Properties.Environment.Variables;
    // Assess
    expect(env(built.stack.staffFunctions.beneficiaries)).toMatchObject({
      VAULT_TABLE: expect.anything(),
      KEYS_TABLE: expect.anything(),
      VAULT_KMS_KEY_ARN: expect.anything(),
      USER_POOL_ID: expect.anything(),
      USER_POOL_CLIENT_ID: expect.anything(),
    });
    for (const fn of [
      built.stack.functions.projector,
      built.stack.functions.ingest,
      built.stack.staffFunctions.audit,
      built.stack.staffFunctions.unitFigures,
    ]) {
      expect(Object.keys(env(fn)).filter((k) => k.startsWith("VAULT") || k === "KEYS_TABLE")).toEqual([]);
    }
  });
});

describe("the sign-in domain", () => {
  it("is named per stage and account, so dev and prod can share an account", () => {
    // Assess
    template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      Domain: { "Fn::Join": ["", ["khuyenhoc-dev-", { Ref: "AWS::AccountId" }]] },
    });
  });
});

describe("the staff API", () => {
  it("serves the staff routes alone, with CORS for the web app's origin only, throttled like the public one", () => {
    // Prepare
    const apis = template.findResources("AWS::ApiGatewayV2::Api");
    const staffApiId = idOf(built.stack.staffApi.httpApi);
    // Act
    const routesByApi = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map((r) => ({
      key: r.Properties.RouteKey as string,
      staffApi: r.Properties.ApiId.Ref === staffApiId,
    }));
    // Assess
    const distribution = idOf(built.stack.web.distribution);
    expect(apis[staffApiId]?.Properties.CorsConfiguration).toEqual({
      AllowOrigins: [{ "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distribution, "DomainName"] }]] }],
      AllowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      AllowHeaders: ["authorization", "content-type"],
      ExposeHeaders: ["retry-after", "www-authenticate"],
      MaxAge: 600,
    });
    for (const route of routes) {
      expect(routesByApi).toContainEqual({
        key: `${route.method} ${route.path}`,
        staffApi: route.access === "staff",
      });
    }
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      ApiId: { Ref: staffApiId },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it("refuses a web app address that is neither https nor localhost", () => {
    // Act
    const act = () =>
      buildApp({
        webAssetDir: builtWebApp(),
        stage: "dev",
        context: { webAppUrl: "http://staff.example.org" },
      });
    // Assess
    expect(act).toThrow(/webAppUrl/);
  });
});

describe("the bank-transfer door", () => {
  it("reads the notifier's secret from Secrets Manager, and may touch only what the door needs", () => {
    // Prepare
    const fn = built.stack.payments.bankTransfer;
    const env = template.toJSON().Resources[idOf(fn)].Properties.Environment.Variables;
    // Act
    const statements = statementsOf(fn).map((s) => ({
      actions: [s.Action].flat().sort(),
      resource: s.Resource,
    }));
    // Assess: the secret's ARN, never its value, in the environment; no vault, no wildcard actions
    expect(env.PAYMENT_SECRET_ARN).toEqual({ Ref: idOf(built.stack.payments.secret) });
    expect(env).not.toHaveProperty("PAYMENT_SECRET_FILE");
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
          resource: { Ref: idOf(built.stack.payments.secret) },
        },
        {
          actions: ["dynamodb:GetItem"],
          resource: { "Fn::GetAtt": [idOf(built.stack.tables.ledger), "Arn"] },
        },
        {
          actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
          resource: { "Fn::GetAtt": [idOf(built.stack.tables.projection), "Arn"] },
        },
      ]),
    );
    expect(JSON.stringify(statements)).not.toMatch(/Vault|Keys|kms:Decrypt/);
    expect(
      statements.flatMap((s) => s.actions).filter((a) => a.startsWith("dynamodb:") && a.includes("*")),
    ).toEqual([]);
  });
});
