/**
 * Loads the AWS SDK clients on demand: the rest of the tool never imports the
 * SDK, so it is only loaded when a live check actually runs.
 */
import type * as CloudFormation from "@aws-sdk/client-cloudformation";
import type * as Config from "@aws-sdk/client-config-service";

export type CloudFormationSdk = typeof CloudFormation;
export type ConfigSdk = typeof Config;

export async function loadCloudFormationSdk(): Promise<CloudFormationSdk> {
  return import("@aws-sdk/client-cloudformation");
}

export async function loadConfigSdk(): Promise<ConfigSdk> {
  return import("@aws-sdk/client-config-service");
}

/**
 * The SDK's own retries are turned off (`maxAttempts: 1`): the live check
 * retries throttled calls itself, within its time budget. The endpoint comes
 * from the SDK's standard resolution, so `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_CLOUDFORMATION` / `AWS_ENDPOINT_URL_CONFIG_SERVICE` apply.
 */
export async function createCloudFormationClient(region: string | undefined): Promise<CloudFormation.CloudFormationClient> {
  const sdk = await loadCloudFormationSdk();
  return new sdk.CloudFormationClient({ ...(region ? { region } : {}), maxAttempts: 1 });
}

export async function createConfigClient(region: string | undefined): Promise<Config.ConfigServiceClient> {
  const sdk = await loadConfigSdk();
  return new sdk.ConfigServiceClient({ ...(region ? { region } : {}), maxAttempts: 1 });
}
