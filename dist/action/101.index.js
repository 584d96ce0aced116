export const id = 101;
export const ids = [101];
export const modules = {

/***/ 7101:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin, createPaginator } = __webpack_require__(402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(2658);
const { Command: $Command } = __webpack_require__(2658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(7291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(2085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(3422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(3609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(6890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(7523);
const { defaultProvider } = __webpack_require__(5861);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(2430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(1279);
const { AwsJson1_1Protocol } = __webpack_require__(7288);
const { Sha256 } = __webpack_require__(9542);

const defaultConfigServiceHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "config",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
const defaultConfigServiceHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "config",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.1123.0";
var packageInfo = {
	version: version};

const k = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
const _data = {
    conditions: [
        [c, [g]],
        [c, j],
        ["aws.partition", j, d],
        [e, [{ [k]: "UseFIPS" }, b]],
        [e, [{ [k]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
        [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
        ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [g, i],
        ["https://config-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://config.{Region}.amazonaws.com", i],
        ["https://config-fips.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://config.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://config.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 13, 3,
    1, 4, r + 12,
    2, 5, r + 12,
    3, 8, 6,
    4, 7, r + 11,
    5, r + 9, r + 10,
    4, 11, 9,
    6, 10, r + 8,
    7, r + 6, r + 7,
    5, 12, r + 5,
    6, r + 4, r + 5,
    3, r + 1, 14,
    4, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class ConfigServiceServiceException extends ServiceException {
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, ConfigServiceServiceException.prototype);
    }
}

class ConflictException extends ConfigServiceServiceException {
    name = "ConflictException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ConflictException.prototype);
    }
}
class NoSuchConfigurationRecorderException extends ConfigServiceServiceException {
    name = "NoSuchConfigurationRecorderException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchConfigurationRecorderException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchConfigurationRecorderException.prototype);
    }
}
class ValidationException extends ConfigServiceServiceException {
    name = "ValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ValidationException.prototype);
    }
}
class NoSuchConfigurationAggregatorException extends ConfigServiceServiceException {
    name = "NoSuchConfigurationAggregatorException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchConfigurationAggregatorException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchConfigurationAggregatorException.prototype);
    }
}
class NoAvailableConfigurationRecorderException extends ConfigServiceServiceException {
    name = "NoAvailableConfigurationRecorderException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoAvailableConfigurationRecorderException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoAvailableConfigurationRecorderException.prototype);
    }
}
class ConformancePackTemplateValidationException extends ConfigServiceServiceException {
    name = "ConformancePackTemplateValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ConformancePackTemplateValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ConformancePackTemplateValidationException.prototype);
    }
}
class InvalidParameterValueException extends ConfigServiceServiceException {
    name = "InvalidParameterValueException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidParameterValueException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidParameterValueException.prototype);
    }
}
class NoSuchConfigRuleException extends ConfigServiceServiceException {
    name = "NoSuchConfigRuleException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchConfigRuleException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchConfigRuleException.prototype);
    }
}
class ResourceInUseException extends ConfigServiceServiceException {
    name = "ResourceInUseException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceInUseException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceInUseException.prototype);
    }
}
class UnmodifiableEntityException extends ConfigServiceServiceException {
    name = "UnmodifiableEntityException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "UnmodifiableEntityException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnmodifiableEntityException.prototype);
    }
}
class NoSuchConformancePackException extends ConfigServiceServiceException {
    name = "NoSuchConformancePackException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchConformancePackException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchConformancePackException.prototype);
    }
}
class ResourceNotFoundException extends ConfigServiceServiceException {
    name = "ResourceNotFoundException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceNotFoundException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
    }
}
class LastDeliveryChannelDeleteFailedException extends ConfigServiceServiceException {
    name = "LastDeliveryChannelDeleteFailedException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "LastDeliveryChannelDeleteFailedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, LastDeliveryChannelDeleteFailedException.prototype);
    }
}
class NoSuchDeliveryChannelException extends ConfigServiceServiceException {
    name = "NoSuchDeliveryChannelException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchDeliveryChannelException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchDeliveryChannelException.prototype);
    }
}
class NoSuchOrganizationConfigRuleException extends ConfigServiceServiceException {
    name = "NoSuchOrganizationConfigRuleException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchOrganizationConfigRuleException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchOrganizationConfigRuleException.prototype);
    }
}
class OrganizationAccessDeniedException extends ConfigServiceServiceException {
    name = "OrganizationAccessDeniedException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OrganizationAccessDeniedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OrganizationAccessDeniedException.prototype);
    }
}
class NoSuchOrganizationConformancePackException extends ConfigServiceServiceException {
    name = "NoSuchOrganizationConformancePackException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchOrganizationConformancePackException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchOrganizationConformancePackException.prototype);
    }
}
class InsufficientPermissionsException extends ConfigServiceServiceException {
    name = "InsufficientPermissionsException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientPermissionsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientPermissionsException.prototype);
    }
}
class NoSuchRemediationConfigurationException extends ConfigServiceServiceException {
    name = "NoSuchRemediationConfigurationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchRemediationConfigurationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchRemediationConfigurationException.prototype);
    }
}
class RemediationInProgressException extends ConfigServiceServiceException {
    name = "RemediationInProgressException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "RemediationInProgressException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, RemediationInProgressException.prototype);
    }
}
class NoSuchRemediationExceptionException extends ConfigServiceServiceException {
    name = "NoSuchRemediationExceptionException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchRemediationExceptionException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchRemediationExceptionException.prototype);
    }
}
class NoRunningConfigurationRecorderException extends ConfigServiceServiceException {
    name = "NoRunningConfigurationRecorderException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoRunningConfigurationRecorderException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoRunningConfigurationRecorderException.prototype);
    }
}
class NoSuchRetentionConfigurationException extends ConfigServiceServiceException {
    name = "NoSuchRetentionConfigurationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchRetentionConfigurationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchRetentionConfigurationException.prototype);
    }
}
class InvalidLimitException extends ConfigServiceServiceException {
    name = "InvalidLimitException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidLimitException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidLimitException.prototype);
    }
}
class InvalidNextTokenException extends ConfigServiceServiceException {
    name = "InvalidNextTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidNextTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidNextTokenException.prototype);
    }
}
class NoSuchConfigRuleInConformancePackException extends ConfigServiceServiceException {
    name = "NoSuchConfigRuleInConformancePackException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchConfigRuleInConformancePackException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchConfigRuleInConformancePackException.prototype);
    }
}
class OversizedConfigurationItemException extends ConfigServiceServiceException {
    name = "OversizedConfigurationItemException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OversizedConfigurationItemException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OversizedConfigurationItemException.prototype);
    }
}
class ResourceNotDiscoveredException extends ConfigServiceServiceException {
    name = "ResourceNotDiscoveredException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceNotDiscoveredException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotDiscoveredException.prototype);
    }
}
class InvalidTimeRangeException extends ConfigServiceServiceException {
    name = "InvalidTimeRangeException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidTimeRangeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidTimeRangeException.prototype);
    }
}
class IdempotentParameterMismatch extends ConfigServiceServiceException {
    name = "IdempotentParameterMismatch";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IdempotentParameterMismatch",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IdempotentParameterMismatch.prototype);
    }
}
class InsufficientDeliveryPolicyException extends ConfigServiceServiceException {
    name = "InsufficientDeliveryPolicyException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientDeliveryPolicyException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientDeliveryPolicyException.prototype);
    }
}
class InvalidConfigurationRecorderNameException extends ConfigServiceServiceException {
    name = "InvalidConfigurationRecorderNameException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidConfigurationRecorderNameException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidConfigurationRecorderNameException.prototype);
    }
}
class InvalidDeliveryChannelNameException extends ConfigServiceServiceException {
    name = "InvalidDeliveryChannelNameException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDeliveryChannelNameException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDeliveryChannelNameException.prototype);
    }
}
class InvalidExpressionException extends ConfigServiceServiceException {
    name = "InvalidExpressionException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidExpressionException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidExpressionException.prototype);
    }
}
class InvalidRecordingGroupException extends ConfigServiceServiceException {
    name = "InvalidRecordingGroupException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidRecordingGroupException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRecordingGroupException.prototype);
    }
}
class InvalidResultTokenException extends ConfigServiceServiceException {
    name = "InvalidResultTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidResultTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidResultTokenException.prototype);
    }
}
class InvalidRoleException extends ConfigServiceServiceException {
    name = "InvalidRoleException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidRoleException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRoleException.prototype);
    }
}
class InvalidS3KeyPrefixException extends ConfigServiceServiceException {
    name = "InvalidS3KeyPrefixException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidS3KeyPrefixException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidS3KeyPrefixException.prototype);
    }
}
class InvalidS3KmsKeyArnException extends ConfigServiceServiceException {
    name = "InvalidS3KmsKeyArnException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidS3KmsKeyArnException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidS3KmsKeyArnException.prototype);
    }
}
class InvalidSNSTopicARNException extends ConfigServiceServiceException {
    name = "InvalidSNSTopicARNException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidSNSTopicARNException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidSNSTopicARNException.prototype);
    }
}
class LimitExceededException extends ConfigServiceServiceException {
    name = "LimitExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "LimitExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, LimitExceededException.prototype);
    }
}
class MaxActiveResourcesExceededException extends ConfigServiceServiceException {
    name = "MaxActiveResourcesExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxActiveResourcesExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxActiveResourcesExceededException.prototype);
    }
}
class MaxNumberOfConfigRulesExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfConfigRulesExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfConfigRulesExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfConfigRulesExceededException.prototype);
    }
}
class MaxNumberOfConfigurationRecordersExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfConfigurationRecordersExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfConfigurationRecordersExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfConfigurationRecordersExceededException.prototype);
    }
}
class MaxNumberOfConformancePacksExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfConformancePacksExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfConformancePacksExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfConformancePacksExceededException.prototype);
    }
}
class MaxNumberOfConnectorsExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfConnectorsExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfConnectorsExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfConnectorsExceededException.prototype);
    }
}
class MaxNumberOfDeliveryChannelsExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfDeliveryChannelsExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfDeliveryChannelsExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfDeliveryChannelsExceededException.prototype);
    }
}
class MaxNumberOfOrganizationConfigRulesExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfOrganizationConfigRulesExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfOrganizationConfigRulesExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfOrganizationConfigRulesExceededException.prototype);
    }
}
class MaxNumberOfOrganizationConformancePacksExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfOrganizationConformancePacksExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfOrganizationConformancePacksExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfOrganizationConformancePacksExceededException.prototype);
    }
}
class MaxNumberOfRetentionConfigurationsExceededException extends ConfigServiceServiceException {
    name = "MaxNumberOfRetentionConfigurationsExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxNumberOfRetentionConfigurationsExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxNumberOfRetentionConfigurationsExceededException.prototype);
    }
}
class NoAvailableDeliveryChannelException extends ConfigServiceServiceException {
    name = "NoAvailableDeliveryChannelException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoAvailableDeliveryChannelException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoAvailableDeliveryChannelException.prototype);
    }
}
class NoAvailableOrganizationException extends ConfigServiceServiceException {
    name = "NoAvailableOrganizationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoAvailableOrganizationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoAvailableOrganizationException.prototype);
    }
}
class NoSuchBucketException extends ConfigServiceServiceException {
    name = "NoSuchBucketException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NoSuchBucketException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NoSuchBucketException.prototype);
    }
}
class OrganizationAllFeaturesNotEnabledException extends ConfigServiceServiceException {
    name = "OrganizationAllFeaturesNotEnabledException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OrganizationAllFeaturesNotEnabledException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OrganizationAllFeaturesNotEnabledException.prototype);
    }
}
class OrganizationConformancePackTemplateValidationException extends ConfigServiceServiceException {
    name = "OrganizationConformancePackTemplateValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OrganizationConformancePackTemplateValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OrganizationConformancePackTemplateValidationException.prototype);
    }
}
class ResourceConcurrentModificationException extends ConfigServiceServiceException {
    name = "ResourceConcurrentModificationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceConcurrentModificationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceConcurrentModificationException.prototype);
    }
}
class TooManyTagsException extends ConfigServiceServiceException {
    name = "TooManyTagsException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TooManyTagsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TooManyTagsException.prototype);
    }
}

const _A = "Annotation";
const _AA = "AggregationAuthorization";
const _AAA = "AggregationAuthorizationArn";
const _AAI = "AuthorizedAccountId";
const _AAL = "AggregationAuthorizationList";
const _AAR = "AllAwsRegions";
const _AARu = "AuthorizedAwsRegion";
const _AAS = "AccountAggregationSource";
const _AASL = "AccountAggregationSourceList";
const _AASc = "AccountAggregationSources";
const _AAg = "AggregationAuthorizations";
const _ACBCP = "AggregateComplianceByConformancePack";
const _ACBCPL = "AggregateComplianceByConformancePackList";
const _ACBCPg = "AggregateComplianceByConformancePacks";
const _ACBCR = "AggregateComplianceByConfigRule";
const _ACBCRL = "AggregateComplianceByConfigRuleList";
const _ACBCRg = "AggregateComplianceByConfigRules";
const _ACC = "AggregateComplianceCount";
const _ACCL = "AggregateComplianceCountList";
const _ACCg = "AggregateComplianceCounts";
const _ACCz = "AzureConnectorConfiguration";
const _ACPC = "AggregateConformancePackCompliance";
const _ACPCC = "AggregateConformancePackComplianceCount";
const _ACPCF = "AggregateConformancePackComplianceFilters";
const _ACPCS = "AggregateConformancePackComplianceSummary";
const _ACPCSF = "AggregateConformancePackComplianceSummaryFilters";
const _ACPCSL = "AggregateConformancePackComplianceSummaryList";
const _ACPCSg = "AggregateConformancePackComplianceSummaries";
const _AER = "AggregateEvaluationResult";
const _AERL = "AggregateEvaluationResultList";
const _AERg = "AggregateEvaluationResults";
const _AF = "AggregatorFilters";
const _AFRT = "AggregatorFilterResourceType";
const _AFSP = "AggregatorFilterServicePrincipal";
const _AI = "AccountIds";
const _AIc = "AccountId";
const _AR = "AwsRegions";
const _ARI = "AggregateResourceIdentifier";
const _ART = "AssociateResourceTypes";
const _ARTR = "AssociateResourceTypesRequest";
const _ARTRs = "AssociateResourceTypesResponse";
const _ARw = "AwsRegion";
const _ASS = "AggregatedSourceStatus";
const _ASSL = "AggregatedSourceStatusList";
const _Ar = "Arn";
const _Au = "Automatic";
const _BCI = "BaseConfigurationItem";
const _BCIa = "BaseConfigurationItems";
const _BGARC = "BatchGetAggregateResourceConfig";
const _BGARCR = "BatchGetAggregateResourceConfigRequest";
const _BGARCRa = "BatchGetAggregateResourceConfigResponse";
const _BGRC = "BatchGetResourceConfig";
const _BGRCR = "BatchGetResourceConfigRequest";
const _BGRCRa = "BatchGetResourceConfigResponse";
const _C = "Compliance";
const _CA = "ConfigurationAggregator";
const _CAA = "ConfigurationAggregatorArn";
const _CAL = "ConfigurationAggregatorList";
const _CAN = "ConfigurationAggregatorName";
const _CANo = "ConfigurationAggregatorNames";
const _CAo = "ConfigurationAggregators";
const _CAon = "ConnectorArn";
const _CB = "CreatedBy";
const _CBCR = "ComplianceByConfigRule";
const _CBCRo = "ComplianceByConfigRules";
const _CBR = "ComplianceByResource";
const _CBRo = "ComplianceByResources";
const _CBS = "CreatedByService";
const _CC = "CappedCount";
const _CCC = "ComplianceContributorCount";
const _CCPC = "CompliantConformancePackCount";
const _CCo = "ConnectorConfiguration";
const _CE = "ConflictException";
const _CEDI = "ConfigExportDeliveryInfo";
const _CERP = "ConcurrentExecutionRatePercentage";
const _CEa = "CapExceeded";
const _CF = "ConnectorFilter";
const _CFL = "ConnectorFilterList";
const _CI = "ConfigurationItem";
const _CIL = "ConfigurationItemList";
const _CPA = "ConformancePackArn";
const _CPCF = "ConformancePackComplianceFilters";
const _CPCS = "ConformancePackComplianceScore";
const _CPCSF = "ConformancePackComplianceScoresFilters";
const _CPCSL = "ConformancePackComplianceSummaryList";
const _CPCSo = "ConformancePackComplianceSummary";
const _CPCSon = "ConformancePackComplianceStatus";
const _CPCSonf = "ConformancePackComplianceScores";
const _CPD = "ConformancePackDetail";
const _CPDL = "ConformancePackDetailList";
const _CPDo = "ConformancePackDetails";
const _CPDu = "CustomPolicyDetails";
const _CPEF = "ConformancePackEvaluationFilters";
const _CPER = "ConformancePackEvaluationResult";
const _CPI = "ConformancePackId";
const _CPIP = "ConformancePackInputParameters";
const _CPIPo = "ConformancePackInputParameter";
const _CPN = "ConformancePackName";
const _CPNo = "ConformancePackNames";
const _CPRC = "ConformancePackRuleCompliance";
const _CPRCL = "ConformancePackRuleComplianceList";
const _CPRER = "ConformancePackRuleEvaluationResults";
const _CPRERL = "ConformancePackRuleEvaluationResultsList";
const _CPS = "ConformancePackState";
const _CPSD = "ConformancePackStatusDetail";
const _CPSDL = "ConformancePackStatusDetailsList";
const _CPSDo = "ConformancePackStatusDetails";
const _CPSR = "ConformancePackStatusReason";
const _CPTVE = "ConformancePackTemplateValidationException";
const _CR = "ConfigurationRecorder";
const _CRA = "ConfigurationRecorderArn";
const _CRAo = "ConfigRuleArn";
const _CRC = "CompliantRuleCount";
const _CRCF = "ConfigRuleComplianceFilters";
const _CRCSF = "ConfigRuleComplianceSummaryFilters";
const _CRCo = "CompliantResourceCount";
const _CRES = "ConfigRuleEvaluationStatus";
const _CRESL = "ConfigRuleEvaluationStatusList";
const _CRESo = "ConfigRulesEvaluationStatus";
const _CRF = "ConfigurationRecorderFilter";
const _CRFL = "ConfigurationRecorderFilterList";
const _CRI = "ConfigRuleId";
const _CRIT = "ConfigRuleInvokedTime";
const _CRIo = "ComplianceResourceId";
const _CRL = "ConfigurationRecorderList";
const _CRN = "ConfigRuleName";
const _CRNo = "ConfigRuleNames";
const _CRNon = "ConfigurationRecorderName";
const _CRNonf = "ConfigurationRecorderNames";
const _CRS = "ConfigRuleState";
const _CRSL = "ConfigurationRecorderStatusList";
const _CRSo = "ConfigurationRecorderStatus";
const _CRSon = "ConfigurationRecorderSummary";
const _CRSonf = "ConfigurationRecordersStatus";
const _CRSonfi = "ConfigurationRecorderSummaries";
const _CRT = "ComplianceResourceType";
const _CRTo = "ComplianceResourceTypes";
const _CRo = "ConfigRule";
const _CRon = "ConfigRules";
const _CRonf = "ConfigurationRecorders";
const _CS = "ComplianceSummary";
const _CSBRT = "ComplianceSummaryByResourceType";
const _CSBRTo = "ComplianceSummariesByResourceType";
const _CSDI = "ConfigStreamDeliveryInfo";
const _CSDP = "ConfigSnapshotDeliveryProperties";
const _CST = "ComplianceSummaryTimestamp";
const _CSo = "ConnectorSummary";
const _CSon = "ConnectorSummaries";
const _CT = "ComplianceType";
const _CTl = "ClientToken";
const _CTo = "ComplianceTypes";
const _CTr = "CreationTime";
const _Co = "Controls";
const _Con = "Connector";
const _Conf = "Configuration";
const _D = "Description";
const _DAA = "DeleteAggregationAuthorization";
const _DAAR = "DeleteAggregationAuthorizationRequest";
const _DAARe = "DescribeAggregationAuthorizationsRequest";
const _DAARes = "DescribeAggregationAuthorizationsResponse";
const _DAAe = "DescribeAggregationAuthorizations";
const _DACBCP = "DescribeAggregateComplianceByConformancePacks";
const _DACBCPR = "DescribeAggregateComplianceByConformancePacksRequest";
const _DACBCPRe = "DescribeAggregateComplianceByConformancePacksResponse";
const _DACBCR = "DescribeAggregateComplianceByConfigRules";
const _DACBCRR = "DescribeAggregateComplianceByConfigRulesRequest";
const _DACBCRRe = "DescribeAggregateComplianceByConfigRulesResponse";
const _DC = "DeliveryChannel";
const _DCA = "DeleteConfigurationAggregator";
const _DCAR = "DeleteConfigurationAggregatorRequest";
const _DCARe = "DescribeConfigurationAggregatorsRequest";
const _DCARes = "DescribeConfigurationAggregatorsResponse";
const _DCASS = "DescribeConfigurationAggregatorSourcesStatus";
const _DCASSR = "DescribeConfigurationAggregatorSourcesStatusRequest";
const _DCASSRe = "DescribeConfigurationAggregatorSourcesStatusResponse";
const _DCAe = "DescribeConfigurationAggregators";
const _DCBCR = "DescribeComplianceByConfigRule";
const _DCBCRR = "DescribeComplianceByConfigRuleRequest";
const _DCBCRRe = "DescribeComplianceByConfigRuleResponse";
const _DCBR = "DescribeComplianceByResource";
const _DCBRR = "DescribeComplianceByResourceRequest";
const _DCBRRe = "DescribeComplianceByResourceResponse";
const _DCL = "DeliveryChannelList";
const _DCN = "DeliveryChannelName";
const _DCNe = "DeliveryChannelNames";
const _DCP = "DeleteConformancePack";
const _DCPC = "DescribeConformancePackCompliance";
const _DCPCR = "DescribeConformancePackComplianceRequest";
const _DCPCRe = "DescribeConformancePackComplianceResponse";
const _DCPR = "DeleteConformancePackRequest";
const _DCPRe = "DescribeConformancePacksRequest";
const _DCPRes = "DescribeConformancePacksResponse";
const _DCPS = "DescribeConformancePackStatus";
const _DCPSR = "DescribeConformancePackStatusRequest";
const _DCPSRe = "DescribeConformancePackStatusResponse";
const _DCPe = "DescribeConformancePacks";
const _DCR = "DeleteConnectorRequest";
const _DCRES = "DescribeConfigRuleEvaluationStatus";
const _DCRESR = "DescribeConfigRuleEvaluationStatusRequest";
const _DCRESRe = "DescribeConfigRuleEvaluationStatusResponse";
const _DCRF = "DescribeConfigRulesFilters";
const _DCRR = "DeleteConfigRuleRequest";
const _DCRRe = "DeleteConfigurationRecorderRequest";
const _DCRRes = "DescribeConfigRulesRequest";
const _DCRResc = "DescribeConfigRulesResponse";
const _DCRRescr = "DescribeConfigurationRecordersRequest";
const _DCRRescri = "DescribeConfigurationRecordersResponse";
const _DCRS = "DescribeConfigurationRecorderStatus";
const _DCRSR = "DescribeConfigurationRecorderStatusRequest";
const _DCRSRe = "DescribeConfigurationRecorderStatusResponse";
const _DCRe = "DeleteConfigRule";
const _DCRel = "DeleteConfigurationRecorder";
const _DCRes = "DescribeConfigRules";
const _DCResc = "DescribeConfigurationRecorders";
const _DCS = "DeliveryChannelStatus";
const _DCSL = "DeliveryChannelStatusList";
const _DCSR = "DeliverConfigSnapshotRequest";
const _DCSRe = "DeliverConfigSnapshotResponse";
const _DCSe = "DeliveryChannelsStatus";
const _DCSel = "DeliverConfigSnapshot";
const _DCe = "DeliveryChannels";
const _DCel = "DeleteConnector";
const _DDC = "DeleteDeliveryChannel";
const _DDCR = "DeleteDeliveryChannelRequest";
const _DDCRe = "DescribeDeliveryChannelsRequest";
const _DDCRes = "DescribeDeliveryChannelsResponse";
const _DDCS = "DescribeDeliveryChannelStatus";
const _DDCSR = "DescribeDeliveryChannelStatusRequest";
const _DDCSRe = "DescribeDeliveryChannelStatusResponse";
const _DDCe = "DescribeDeliveryChannels";
const _DER = "DeleteEvaluationResults";
const _DERR = "DeleteEvaluationResultsRequest";
const _DERRe = "DeleteEvaluationResultsResponse";
const _DLDA = "DebugLogDeliveryAccounts";
const _DN = "DocumentName";
const _DOCP = "DeleteOrganizationConformancePack";
const _DOCPR = "DeleteOrganizationConformancePackRequest";
const _DOCPRe = "DescribeOrganizationConformancePacksRequest";
const _DOCPRes = "DescribeOrganizationConformancePacksResponse";
const _DOCPS = "DescribeOrganizationConformancePackStatuses";
const _DOCPSR = "DescribeOrganizationConformancePackStatusesRequest";
const _DOCPSRe = "DescribeOrganizationConformancePackStatusesResponse";
const _DOCPe = "DescribeOrganizationConformancePacks";
const _DOCR = "DeleteOrganizationConfigRule";
const _DOCRR = "DeleteOrganizationConfigRuleRequest";
const _DOCRRe = "DescribeOrganizationConfigRulesRequest";
const _DOCRRes = "DescribeOrganizationConfigRulesResponse";
const _DOCRS = "DescribeOrganizationConfigRuleStatuses";
const _DOCRSR = "DescribeOrganizationConfigRuleStatusesRequest";
const _DOCRSRe = "DescribeOrganizationConfigRuleStatusesResponse";
const _DOCRe = "DescribeOrganizationConfigRules";
const _DPAR = "DeletePendingAggregationRequest";
const _DPARR = "DeletePendingAggregationRequestRequest";
const _DPARRe = "DescribePendingAggregationRequestsRequest";
const _DPARRes = "DescribePendingAggregationRequestsResponse";
const _DPARe = "DescribePendingAggregationRequests";
const _DRC = "DeleteRemediationConfiguration";
const _DRCR = "DeleteRemediationConfigurationRequest";
const _DRCRe = "DeleteRemediationConfigurationResponse";
const _DRCRel = "DeleteResourceConfigRequest";
const _DRCRele = "DeleteRetentionConfigurationRequest";
const _DRCRes = "DescribeRemediationConfigurationsRequest";
const _DRCResc = "DescribeRemediationConfigurationsResponse";
const _DRCRescr = "DescribeRetentionConfigurationsRequest";
const _DRCRescri = "DescribeRetentionConfigurationsResponse";
const _DRCe = "DeleteResourceConfig";
const _DRCel = "DeleteRetentionConfiguration";
const _DRCes = "DescribeRemediationConfigurations";
const _DRCesc = "DescribeRetentionConfigurations";
const _DRE = "DeleteRemediationExceptions";
const _DRER = "DeleteRemediationExceptionsRequest";
const _DRERe = "DeleteRemediationExceptionsResponse";
const _DRERes = "DescribeRemediationExceptionsRequest";
const _DREResc = "DescribeRemediationExceptionsResponse";
const _DRES = "DescribeRemediationExecutionStatus";
const _DRESR = "DescribeRemediationExecutionStatusRequest";
const _DRESRe = "DescribeRemediationExecutionStatusResponse";
const _DREe = "DescribeRemediationExceptions";
const _DRIL = "DiscoveredResourceIdentifierList";
const _DRT = "DisassociateResourceTypes";
const _DRTR = "DisassociateResourceTypesRequest";
const _DRTRi = "DisassociateResourceTypesResponse";
const _DSB = "DeliveryS3Bucket";
const _DSKP = "DeliveryS3KeyPrefix";
const _DSLCR = "DeleteServiceLinkedConfigurationRecorder";
const _DSLCRR = "DeleteServiceLinkedConfigurationRecorderRequest";
const _DSLCRRe = "DeleteServiceLinkedConfigurationRecorderResponse";
const _DSQ = "DeleteStoredQuery";
const _DSQR = "DeleteStoredQueryRequest";
const _DSQRe = "DeleteStoredQueryResponse";
const _DV = "DocumentVersion";
const _E = "Evaluation";
const _EA = "ExcludedAccounts";
const _EBRT = "ExclusionByResourceTypes";
const _EC = "EvaluationContext";
const _ECI = "EvaluationContextIdentifier";
const _ECr = "ErrorCode";
const _ECx = "ExecutionControls";
const _EDLD = "EnableDebugLogDelivery";
const _EE = "ExternalEvaluation";
const _EM = "EvaluationModes";
const _EMC = "EvaluationModeConfiguration";
const _EMr = "ErrorMessage";
const _EMv = "EvaluationMode";
const _EP = "ErrorPercentage";
const _ER = "EvaluationResult";
const _ERI = "EvaluationResultIdentifier";
const _ERQ = "EvaluationResultQualifier";
const _ERv = "EvaluationResults";
const _ES = "EvaluationStatus";
const _EST = "EvaluationStartTimestamp";
const _ESv = "EventSource";
const _ET = "ExpirationTime";
const _ETn = "EndTime";
const _ETv = "EvaluationTimeout";
const _Ev = "Evaluations";
const _Ex = "Expression";
const _F = "Filters";
const _FAT = "FirstActivatedTime";
const _FB = "FailedBatches";
const _FDREB = "FailedDeleteRemediationExceptionsBatch";
const _FDREBa = "FailedDeleteRemediationExceptionsBatches";
const _FE = "FailedEvaluations";
const _FES = "FirstEvaluationStarted";
const _FI = "FailedItems";
const _FIL = "FieldInfoList";
const _FIi = "FieldInfo";
const _FM = "FailureMessage";
const _FR = "FailureReason";
const _FRB = "FailedRemediationBatch";
const _FRBa = "FailedRemediationBatches";
const _FREB = "FailedRemediationExceptionBatch";
const _FREBa = "FailedRemediationExceptionBatches";
const _GACDBCR = "GetAggregateComplianceDetailsByConfigRule";
const _GACDBCRR = "GetAggregateComplianceDetailsByConfigRuleRequest";
const _GACDBCRRe = "GetAggregateComplianceDetailsByConfigRuleResponse";
const _GACPCS = "GetAggregateConformancePackComplianceSummary";
const _GACPCSR = "GetAggregateConformancePackComplianceSummaryRequest";
const _GACPCSRe = "GetAggregateConformancePackComplianceSummaryResponse";
const _GACRCS = "GetAggregateConfigRuleComplianceSummary";
const _GACRCSR = "GetAggregateConfigRuleComplianceSummaryRequest";
const _GACRCSRe = "GetAggregateConfigRuleComplianceSummaryResponse";
const _GADRC = "GetAggregateDiscoveredResourceCounts";
const _GADRCR = "GetAggregateDiscoveredResourceCountsRequest";
const _GADRCRe = "GetAggregateDiscoveredResourceCountsResponse";
const _GARC = "GetAggregateResourceConfig";
const _GARCR = "GetAggregateResourceConfigRequest";
const _GARCRe = "GetAggregateResourceConfigResponse";
const _GBK = "GroupByKey";
const _GC = "GetConnector";
const _GCDBCR = "GetComplianceDetailsByConfigRule";
const _GCDBCRR = "GetComplianceDetailsByConfigRuleRequest";
const _GCDBCRRe = "GetComplianceDetailsByConfigRuleResponse";
const _GCDBR = "GetComplianceDetailsByResource";
const _GCDBRR = "GetComplianceDetailsByResourceRequest";
const _GCDBRRe = "GetComplianceDetailsByResourceResponse";
const _GCPCD = "GetConformancePackComplianceDetails";
const _GCPCDR = "GetConformancePackComplianceDetailsRequest";
const _GCPCDRe = "GetConformancePackComplianceDetailsResponse";
const _GCPCS = "GetConformancePackComplianceSummary";
const _GCPCSR = "GetConformancePackComplianceSummaryRequest";
const _GCPCSRe = "GetConformancePackComplianceSummaryResponse";
const _GCR = "GetConnectorRequest";
const _GCRP = "GetCustomRulePolicy";
const _GCRPR = "GetCustomRulePolicyRequest";
const _GCRPRe = "GetCustomRulePolicyResponse";
const _GCRe = "GetConnectorResponse";
const _GCSBCR = "GetComplianceSummaryByConfigRule";
const _GCSBCRR = "GetComplianceSummaryByConfigRuleResponse";
const _GCSBRT = "GetComplianceSummaryByResourceType";
const _GCSBRTR = "GetComplianceSummaryByResourceTypeRequest";
const _GCSBRTRe = "GetComplianceSummaryByResourceTypeResponse";
const _GDRC = "GetDiscoveredResourceCounts";
const _GDRCR = "GetDiscoveredResourceCountsRequest";
const _GDRCRe = "GetDiscoveredResourceCountsResponse";
const _GN = "GroupName";
const _GOCPDS = "GetOrganizationConformancePackDetailedStatus";
const _GOCPDSR = "GetOrganizationConformancePackDetailedStatusRequest";
const _GOCPDSRe = "GetOrganizationConformancePackDetailedStatusResponse";
const _GOCRDS = "GetOrganizationConfigRuleDetailedStatus";
const _GOCRDSR = "GetOrganizationConfigRuleDetailedStatusRequest";
const _GOCRDSRe = "GetOrganizationConfigRuleDetailedStatusResponse";
const _GOCRP = "GetOrganizationCustomRulePolicy";
const _GOCRPR = "GetOrganizationCustomRulePolicyRequest";
const _GOCRPRe = "GetOrganizationCustomRulePolicyResponse";
const _GRC = "GroupedResourceCounts";
const _GRCH = "GetResourceConfigHistory";
const _GRCHR = "GetResourceConfigHistoryRequest";
const _GRCHRe = "GetResourceConfigHistoryResponse";
const _GRCL = "GroupedResourceCountList";
const _GRCr = "GroupedResourceCount";
const _GRES = "GetResourceEvaluationSummary";
const _GRESR = "GetResourceEvaluationSummaryRequest";
const _GRESRe = "GetResourceEvaluationSummaryResponse";
const _GSQ = "GetStoredQuery";
const _GSQR = "GetStoredQueryRequest";
const _GSQRe = "GetStoredQueryResponse";
const _ICRNE = "InvalidConfigurationRecorderNameException";
const _IDCNE = "InvalidDeliveryChannelNameException";
const _IDPE = "InsufficientDeliveryPolicyException";
const _IEE = "InvalidExpressionException";
const _ILE = "InvalidLimitException";
const _INTE = "InvalidNextTokenException";
const _IP = "InputParameters";
const _IPE = "InsufficientPermissionsException";
const _IPM = "IdempotentParameterMismatch";
const _IPVE = "InvalidParameterValueException";
const _IRE = "InvalidRoleException";
const _IRGE = "InvalidRecordingGroupException";
const _IRTE = "InvalidResultTokenException";
const _ISKKAE = "InvalidS3KmsKeyArnException";
const _ISKPE = "InvalidS3KeyPrefixException";
const _ISNSTARNE = "InvalidSNSTopicARNException";
const _IT = "InvocationTime";
const _ITRE = "InvalidTimeRangeException";
const _K = "Key";
const _L = "Limit";
const _LADR = "ListAggregateDiscoveredResources";
const _LADRR = "ListAggregateDiscoveredResourcesRequest";
const _LADRRi = "ListAggregateDiscoveredResourcesResponse";
const _LC = "ListConnectors";
const _LCPCS = "ListConformancePackComplianceScores";
const _LCPCSR = "ListConformancePackComplianceScoresRequest";
const _LCPCSRi = "ListConformancePackComplianceScoresResponse";
const _LCR = "ListConnectorsRequest";
const _LCRR = "ListConfigurationRecordersRequest";
const _LCRRi = "ListConfigurationRecordersResponse";
const _LCRi = "ListConnectorsResponse";
const _LCRis = "ListConfigurationRecorders";
const _LDCDFE = "LastDeliveryChannelDeleteFailedException";
const _LDLDS = "LastDebugLogDeliveryStatus";
const _LDLDSR = "LastDebugLogDeliveryStatusReason";
const _LDLDT = "LastDebugLogDeliveryTime";
const _LDR = "ListDiscoveredResources";
const _LDRR = "ListDiscoveredResourcesRequest";
const _LDRRi = "ListDiscoveredResourcesResponse";
const _LDT = "LastDeactivatedTime";
const _LEC = "LastErrorCode";
const _LEE = "LimitExceededException";
const _LEM = "LastErrorMessage";
const _LFA = "LambdaFunctionArn";
const _LFET = "LastFailedEvaluationTime";
const _LFIT = "LastFailedInvocationTime";
const _LRE = "ListResourceEvaluations";
const _LRER = "ListResourceEvaluationsRequest";
const _LRERi = "ListResourceEvaluationsResponse";
const _LSET = "LastSuccessfulEvaluationTime";
const _LSIT = "LastSuccessfulInvocationTime";
const _LSQ = "ListStoredQueries";
const _LSQR = "ListStoredQueriesRequest";
const _LSQRi = "ListStoredQueriesResponse";
const _LTFR = "ListTagsForResource";
const _LTFRR = "ListTagsForResourceRequest";
const _LTFRRi = "ListTagsForResourceResponse";
const _LUCT = "LastUpdateCompletedTime";
const _LURT = "LastUpdateRequestedTime";
const _LUS = "LastUpdateStatus";
const _LUT = "LastUpdateTime";
const _LUTa = "LastUpdatedTime";
const _M = "Mode";
const _MAA = "MaximumAutomaticAttempts";
const _MAREE = "MaxActiveResourcesExceededException";
const _MARS = "MemberAccountRuleStatus";
const _MAS = "MemberAccountStatus";
const _MEF = "MaximumExecutionFrequency";
const _MNOCEE = "MaxNumberOfConnectorsExceededException";
const _MNOCPEE = "MaxNumberOfConformancePacksExceededException";
const _MNOCREE = "MaxNumberOfConfigRulesExceededException";
const _MNOCREEa = "MaxNumberOfConfigurationRecordersExceededException";
const _MNODCEE = "MaxNumberOfDeliveryChannelsExceededException";
const _MNOOCPEE = "MaxNumberOfOrganizationConformancePacksExceededException";
const _MNOOCREE = "MaxNumberOfOrganizationConfigRulesExceededException";
const _MNORCEE = "MaxNumberOfRetentionConfigurationsExceededException";
const _MR = "MaxResults";
const _MT = "MessageType";
const _Me = "Message";
const _N = "Name";
const _NACRE = "NoAvailableConfigurationRecorderException";
const _NADCE = "NoAvailableDeliveryChannelException";
const _NAOE = "NoAvailableOrganizationException";
const _NCCPC = "NonCompliantConformancePackCount";
const _NCRC = "NonCompliantRuleCount";
const _NCRCo = "NonCompliantResourceCount";
const _NRCRE = "NoRunningConfigurationRecorderException";
const _NSBE = "NoSuchBucketException";
const _NSCAE = "NoSuchConfigurationAggregatorException";
const _NSCPE = "NoSuchConformancePackException";
const _NSCRE = "NoSuchConfigRuleException";
const _NSCREo = "NoSuchConfigurationRecorderException";
const _NSCRICPE = "NoSuchConfigRuleInConformancePackException";
const _NSDCE = "NoSuchDeliveryChannelException";
const _NSOCPE = "NoSuchOrganizationConformancePackException";
const _NSOCRE = "NoSuchOrganizationConfigRuleException";
const _NSRCE = "NoSuchRemediationConfigurationException";
const _NSRCEo = "NoSuchRetentionConfigurationException";
const _NSREE = "NoSuchRemediationExceptionException";
const _NT = "NextToken";
const _O = "Owner";
const _OADE = "OrganizationAccessDeniedException";
const _OAFNEE = "OrganizationAllFeaturesNotEnabledException";
const _OAS = "OrganizationAggregationSource";
const _OCIE = "OversizedConfigurationItemException";
const _OCP = "OrganizationConformancePacks";
const _OCPA = "OrganizationConformancePackArn";
const _OCPDS = "OrganizationConformancePackDetailedStatuses";
const _OCPDSr = "OrganizationConformancePackDetailedStatus";
const _OCPN = "OrganizationConformancePackName";
const _OCPNr = "OrganizationConformancePackNames";
const _OCPRM = "OrganizationCustomPolicyRuleMetadata";
const _OCPRMNP = "OrganizationCustomPolicyRuleMetadataNoPolicy";
const _OCPS = "OrganizationConformancePackStatuses";
const _OCPSr = "OrganizationConformancePackStatus";
const _OCPTVE = "OrganizationConformancePackTemplateValidationException";
const _OCPr = "OrganizationConformancePack";
const _OCR = "OrganizationConfigRules";
const _OCRA = "OrganizationConfigRuleArn";
const _OCRDS = "OrganizationConfigRuleDetailedStatus";
const _OCRM = "OrganizationCustomRuleMetadata";
const _OCRN = "OrganizationConfigRuleName";
const _OCRNr = "OrganizationConfigRuleNames";
const _OCRS = "OrganizationConfigRuleStatuses";
const _OCRSr = "OrganizationConfigRuleStatus";
const _OCRTT = "OrganizationConfigRuleTriggerTypes";
const _OCRr = "OrganizationConfigRule";
const _OMRM = "OrganizationManagedRuleMetadata";
const _ORDSF = "OrganizationResourceDetailedStatusFilters";
const _ORS = "OrganizationRuleStatus";
const _OT = "OrderingTimestamp";
const _P = "Parameters";
const _PAA = "PutAggregationAuthorization";
const _PAAR = "PutAggregationAuthorizationRequest";
const _PAARu = "PutAggregationAuthorizationResponse";
const _PAR = "PendingAggregationRequests";
const _PARL = "PendingAggregationRequestList";
const _PARe = "PendingAggregationRequest";
const _PC = "PutConnector";
const _PCA = "PutConfigurationAggregator";
const _PCAR = "PutConfigurationAggregatorRequest";
const _PCARu = "PutConfigurationAggregatorResponse";
const _PCP = "PutConformancePack";
const _PCPR = "PutConformancePackRequest";
const _PCPRu = "PutConformancePackResponse";
const _PCR = "PutConnectorRequest";
const _PCRR = "PutConfigRuleRequest";
const _PCRRu = "PutConfigurationRecorderRequest";
const _PCRu = "PutConnectorResponse";
const _PCRut = "PutConfigRule";
const _PCRuto = "PutConfigurationRecorder";
const _PDC = "PutDeliveryChannel";
const _PDCR = "PutDeliveryChannelRequest";
const _PE = "PutEvaluations";
const _PEE = "PutExternalEvaluation";
const _PEER = "PutExternalEvaluationRequest";
const _PEERu = "PutExternalEvaluationResponse";
const _PER = "PutEvaluationsRequest";
const _PERu = "PutEvaluationsResponse";
const _PN = "ParameterName";
const _POCP = "PutOrganizationConformancePack";
const _POCPR = "PutOrganizationConformancePackRequest";
const _POCPRu = "PutOrganizationConformancePackResponse";
const _POCR = "PutOrganizationConfigRule";
const _POCRR = "PutOrganizationConfigRuleRequest";
const _POCRRu = "PutOrganizationConfigRuleResponse";
const _PR = "PolicyRuntime";
const _PRC = "PutRemediationConfigurations";
const _PRCR = "PutRemediationConfigurationsRequest";
const _PRCRu = "PutRemediationConfigurationsResponse";
const _PRCRut = "PutResourceConfigRequest";
const _PRCRute = "PutRetentionConfigurationRequest";
const _PRCRutet = "PutRetentionConfigurationResponse";
const _PRCu = "PutResourceConfig";
const _PRCut = "PutRetentionConfiguration";
const _PRE = "PutRemediationExceptions";
const _PRER = "PutRemediationExceptionsRequest";
const _PRERu = "PutRemediationExceptionsResponse";
const _PSLCR = "PutServiceLinkedConfigurationRecorder";
const _PSLCRR = "PutServiceLinkedConfigurationRecorderRequest";
const _PSLCRRu = "PutServiceLinkedConfigurationRecorderResponse";
const _PSQ = "PutStoredQuery";
const _PSQR = "PutStoredQueryRequest";
const _PSQRu = "PutStoredQueryResponse";
const _PT = "PolicyText";
const _PTPSLCR = "PutThirdPartyServiceLinkedConfigurationRecorder";
const _PTPSLCRR = "PutThirdPartyServiceLinkedConfigurationRecorderRequest";
const _PTPSLCRRu = "PutThirdPartyServiceLinkedConfigurationRecorderResponse";
const _PV = "ParameterValue";
const _QA = "QueryArn";
const _QI = "QueryInfo";
const _QIu = "QueryId";
const _QN = "QueryName";
const _R = "Relationship";
const _RA = "ResourceArn";
const _RAI = "RequesterAccountId";
const _RAR = "RequesterAwsRegion";
const _RAS = "RetryAttemptSeconds";
const _RAo = "RoleArn";
const _RC = "RemediationConfigurations";
const _RCF = "ResourceCountFilters";
const _RCL = "RetentionConfigurationList";
const _RCME = "ResourceConcurrentModificationException";
const _RCN = "RetentionConfigurationName";
const _RCNe = "RetentionConfigurationNames";
const _RCST = "ResourceConfigurationSchemaType";
const _RCe = "RetentionConfigurations";
const _RCem = "RemediationConfiguration";
const _RCes = "ResourceCount";
const _RCeso = "ResourceConfiguration";
const _RCesou = "ResourceCounts";
const _RCet = "RetentionConfiguration";
const _RD = "ResourceDetails";
const _RE = "RemediationExceptions";
const _REF = "ResourceEvaluationFilters";
const _REI = "ResourceEvaluationId";
const _RERK = "RemediationExceptionResourceKey";
const _RERKe = "RemediationExceptionResourceKeys";
const _RES = "RemediationExecutionStatuses";
const _RESe = "RemediationExecutionStatus";
const _RESem = "RemediationExecutionStep";
const _RESeme = "RemediationExecutionSteps";
const _REV = "RuleEvaluationVisibility";
const _REe = "ResourceEvaluations";
const _REem = "RemediationException";
const _REes = "ResourceEvaluation";
const _RF = "ResourceFilters";
const _RG = "RecordingGroup";
const _RI = "ResourceId";
const _RIL = "ResourceIdentifierList";
const _RILe = "ResourceIdentifiersList";
const _RIPE = "RemediationInProgressException";
const _RIS = "ResourceIdScope";
const _RIUE = "ResourceInUseException";
const _RIe = "ResourceIdentifiers";
const _RIes = "ResourceIds";
const _RIeso = "ResourceIdentifier";
const _RIu = "RuleIdentifier";
const _RK = "ResourceKeys";
const _RKe = "ResourceKey";
const _RL = "RelationshipList";
const _RM = "RecordingMode";
const _RMO = "RecordingModeOverride";
const _RMOe = "RecordingModeOverrides";
const _RN = "ResourceName";
const _RNDE = "ResourceNotDiscoveredException";
const _RNFE = "ResourceNotFoundException";
const _RP = "RemediationParameters";
const _RPID = "RetentionPeriodInDays";
const _RPV = "RemediationParameterValue";
const _RRT = "ResultRecordedTime";
const _RS = "RecordingStrategy";
const _RT = "ResourceType";
const _RTS = "ResourceTypesScope";
const _RTe = "ResourceTypes";
const _RTes = "ResultToken";
const _RV = "ResourceValue";
const _Re = "Region";
const _Res = "Results";
const _S = "Source";
const _SA = "StackArn";
const _SAI = "SourceAccountId";
const _SARC = "SelectAggregateResourceConfig";
const _SARCR = "SelectAggregateResourceConfigRequest";
const _SARCRe = "SelectAggregateResourceConfigResponse";
const _SB = "SortBy";
const _SC = "SsmControls";
const _SCR = "StartConfigurationRecorder";
const _SCRE = "StartConfigRulesEvaluation";
const _SCRER = "StartConfigRulesEvaluationRequest";
const _SCRERt = "StartConfigRulesEvaluationResponse";
const _SCRR = "StartConfigurationRecorderRequest";
const _SCRRt = "StopConfigurationRecorderRequest";
const _SCRt = "StopConfigurationRecorder";
const _SCc = "ScopeConfiguration";
const _SD = "StepDetails";
const _SDF = "StatusDetailFilters";
const _SDo = "SourceDetails";
const _SDou = "SourceDetail";
const _SF = "SelectFields";
const _SI = "SourceId";
const _SIo = "SourceIdentifier";
const _SO = "SortOrder";
const _SP = "ServicePrincipal";
const _SPe = "ServicePrincipals";
const _SQ = "StoredQuery";
const _SQM = "StoredQueryMetadata";
const _SQML = "StoredQueryMetadataList";
const _SR = "SourceRegion";
const _SRC = "SelectResourceConfig";
const _SRCR = "SelectResourceConfigRequest";
const _SRCRe = "SelectResourceConfigResponse";
const _SRE = "StartRemediationExecution";
const _SRER = "StartRemediationExecutionRequest";
const _SRERt = "StartRemediationExecutionResponse";
const _SRERta = "StartResourceEvaluationRequest";
const _SRERtar = "StartResourceEvaluationResponse";
const _SREt = "StartResourceEvaluation";
const _ST = "SourceType";
const _STt = "StartTime";
const _STto = "StopTime";
const _SV = "StaticValue";
const _SVI = "SchemaVersionId";
const _Sc = "Scope";
const _Sco = "Score";
const _St = "Status";
const _Sta = "State";
const _T = "Type";
const _TB = "TemplateBody";
const _TDR = "TotalDiscoveredResources";
const _TI = "TargetId";
const _TK = "TagKey";
const _TKS = "TagKeyScope";
const _TKa = "TagKeys";
const _TL = "TagList";
const _TLa = "TagsList";
const _TM = "TestMode";
const _TMTE = "TooManyTagsException";
const _TR = "TagResource";
const _TRC = "TotalRuleCount";
const _TRR = "TagResourceRequest";
const _TSSMDD = "TemplateSSMDocumentDetails";
const _TSU = "TemplateS3Uri";
const _TT = "TargetType";
const _TV = "TargetVersion";
const _TVS = "TagValueScope";
const _TVa = "TagValue";
const _TW = "TimeWindow";
const _Ta = "Tags";
const _Tag = "Tag";
const _UEE = "UnmodifiableEntityException";
const _UR = "UntagResource";
const _URI = "UnprocessedResourceIdentifiers";
const _URIL = "UnprocessedResourceIdentifierList";
const _URR = "UntagResourceRequest";
const _US = "UpdateStatus";
const _V = "Value";
const _VE = "ValidationException";
const _Va = "Values";
const _a = "arn";
const _aI = "accountId";
const _aR = "awsRegion";
const _aRl = "allRegions";
const _aS = "allSupported";
const _aZ = "availabilityZone";
const _az = "azure";
const _bCI = "baseConfigurationItems";
const _c = "client";
const _cA = "connectorArn";
const _cC = "connectorConfiguration";
const _cHDI = "configHistoryDeliveryInfo";
const _cI = "clientIdentifier";
const _cICT = "configurationItemCaptureTime";
const _cIDT = "configurationItemDeliveryTime";
const _cIMDH = "configurationItemMD5Hash";
const _cIS = "configurationItemStatus";
const _cIo = "configurationItems";
const _cO = "chronologicalOrder";
const _cSDI = "configSnapshotDeliveryInfo";
const _cSDIo = "configStreamDeliveryInfo";
const _cSDP = "configSnapshotDeliveryProperties";
const _cSI = "configurationStateId";
const _cSIo = "configSnapshotId";
const _cT = "createdTime";
const _co = "configuration";
const _cou = "count";
const _d = "description";
const _dCN = "deliveryChannelName";
const _dF = "deliveryFrequency";
const _e = "error";
const _eBRT = "exclusionByResourceTypes";
const _eT = "earlierTime";
const _fN = "filterName";
const _fV = "filterValue";
const _fVi = "filterValues";
const _hE = "httpError";
const _iDR = "includeDeletedResources";
const _iGRT = "includeGlobalResourceTypes";
const _iR = "includedRegions";
const _l = "limit";
const _lAT = "lastAttemptTime";
const _lEC = "lastErrorCode";
const _lEM = "lastErrorMessage";
const _lS = "lastStatus";
const _lSCT = "lastStatusChangeTime";
const _lST = "lastSuccessfulTime";
const _lSTa = "lastStartTime";
const _lSTas = "lastStopTime";
const _lT = "laterTime";
const _m = "message";
const _n = "name";
const _nDT = "nextDeliveryTime";
const _nT = "nextToken";
const _p = "provider";
const _r = "relationships";
const _rARN = "roleARN";
const _rC = "resourceCounts";
const _rCT = "resourceCreationTime";
const _rDT = "resourceDeletionTime";
const _rE = "relatedEvents";
const _rF = "recordingFrequency";
const _rG = "recordingGroup";
const _rI = "resourceId";
const _rIe = "resourceIds";
const _rIes = "resourceIdentifiers";
const _rK = "resourceKeys";
const _rM = "recordingMode";
const _rMO = "recordingModeOverrides";
const _rN = "resourceName";
const _rNe = "relationshipName";
const _rS = "recordingScope";
const _rSe = "recordingStrategy";
const _rT = "resourceType";
const _rTe = "resourceTypes";
const _re = "recording";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.configservice";
const _sBN = "s3BucketName";
const _sC = "supplementaryConfiguration";
const _sCc = "scopeConfiguration";
const _sKKA = "s3KmsKeyArn";
const _sKP = "s3KeyPrefix";
const _sP = "servicePrincipal";
const _sT = "scopeType";
const _sTARN = "snsTopicARN";
const _sV = "scopeValues";
const _t = "tags";
const _tDR = "totalDiscoveredResources";
const _tI = "tenantIdentifier";
const _uO = "useOnly";
const _uRK = "unprocessedResourceKeys";
const _v = "version";
const n0 = "com.amazonaws.configservice";
const _s_registry = TypeRegistry.for(_s);
var ConfigServiceServiceException$ = [-3, _s, "ConfigServiceServiceException", 0, [], []];
_s_registry.registerError(ConfigServiceServiceException$, ConfigServiceServiceException);
const n0_registry = TypeRegistry.for(n0);
var ConflictException$ = [-3, n0, _CE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ConflictException$, ConflictException);
var ConformancePackTemplateValidationException$ = [-3, n0, _CPTVE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ConformancePackTemplateValidationException$, ConformancePackTemplateValidationException);
var IdempotentParameterMismatch$ = [-3, n0, _IPM,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IdempotentParameterMismatch$, IdempotentParameterMismatch);
var InsufficientDeliveryPolicyException$ = [-3, n0, _IDPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientDeliveryPolicyException$, InsufficientDeliveryPolicyException);
var InsufficientPermissionsException$ = [-3, n0, _IPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientPermissionsException$, InsufficientPermissionsException);
var InvalidConfigurationRecorderNameException$ = [-3, n0, _ICRNE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidConfigurationRecorderNameException$, InvalidConfigurationRecorderNameException);
var InvalidDeliveryChannelNameException$ = [-3, n0, _IDCNE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDeliveryChannelNameException$, InvalidDeliveryChannelNameException);
var InvalidExpressionException$ = [-3, n0, _IEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidExpressionException$, InvalidExpressionException);
var InvalidLimitException$ = [-3, n0, _ILE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidLimitException$, InvalidLimitException);
var InvalidNextTokenException$ = [-3, n0, _INTE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidNextTokenException$, InvalidNextTokenException);
var InvalidParameterValueException$ = [-3, n0, _IPVE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidParameterValueException$, InvalidParameterValueException);
var InvalidRecordingGroupException$ = [-3, n0, _IRGE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidRecordingGroupException$, InvalidRecordingGroupException);
var InvalidResultTokenException$ = [-3, n0, _IRTE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidResultTokenException$, InvalidResultTokenException);
var InvalidRoleException$ = [-3, n0, _IRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidRoleException$, InvalidRoleException);
var InvalidS3KeyPrefixException$ = [-3, n0, _ISKPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidS3KeyPrefixException$, InvalidS3KeyPrefixException);
var InvalidS3KmsKeyArnException$ = [-3, n0, _ISKKAE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidS3KmsKeyArnException$, InvalidS3KmsKeyArnException);
var InvalidSNSTopicARNException$ = [-3, n0, _ISNSTARNE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidSNSTopicARNException$, InvalidSNSTopicARNException);
var InvalidTimeRangeException$ = [-3, n0, _ITRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(InvalidTimeRangeException$, InvalidTimeRangeException);
var LastDeliveryChannelDeleteFailedException$ = [-3, n0, _LDCDFE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(LastDeliveryChannelDeleteFailedException$, LastDeliveryChannelDeleteFailedException);
var LimitExceededException$ = [-3, n0, _LEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(LimitExceededException$, LimitExceededException);
var MaxActiveResourcesExceededException$ = [-3, n0, _MAREE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxActiveResourcesExceededException$, MaxActiveResourcesExceededException);
var MaxNumberOfConfigRulesExceededException$ = [-3, n0, _MNOCREE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfConfigRulesExceededException$, MaxNumberOfConfigRulesExceededException);
var MaxNumberOfConfigurationRecordersExceededException$ = [-3, n0, _MNOCREEa,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfConfigurationRecordersExceededException$, MaxNumberOfConfigurationRecordersExceededException);
var MaxNumberOfConformancePacksExceededException$ = [-3, n0, _MNOCPEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfConformancePacksExceededException$, MaxNumberOfConformancePacksExceededException);
var MaxNumberOfConnectorsExceededException$ = [-3, n0, _MNOCEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfConnectorsExceededException$, MaxNumberOfConnectorsExceededException);
var MaxNumberOfDeliveryChannelsExceededException$ = [-3, n0, _MNODCEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfDeliveryChannelsExceededException$, MaxNumberOfDeliveryChannelsExceededException);
var MaxNumberOfOrganizationConfigRulesExceededException$ = [-3, n0, _MNOOCREE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfOrganizationConfigRulesExceededException$, MaxNumberOfOrganizationConfigRulesExceededException);
var MaxNumberOfOrganizationConformancePacksExceededException$ = [-3, n0, _MNOOCPEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfOrganizationConformancePacksExceededException$, MaxNumberOfOrganizationConformancePacksExceededException);
var MaxNumberOfRetentionConfigurationsExceededException$ = [-3, n0, _MNORCEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(MaxNumberOfRetentionConfigurationsExceededException$, MaxNumberOfRetentionConfigurationsExceededException);
var NoAvailableConfigurationRecorderException$ = [-3, n0, _NACRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoAvailableConfigurationRecorderException$, NoAvailableConfigurationRecorderException);
var NoAvailableDeliveryChannelException$ = [-3, n0, _NADCE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoAvailableDeliveryChannelException$, NoAvailableDeliveryChannelException);
var NoAvailableOrganizationException$ = [-3, n0, _NAOE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoAvailableOrganizationException$, NoAvailableOrganizationException);
var NoRunningConfigurationRecorderException$ = [-3, n0, _NRCRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoRunningConfigurationRecorderException$, NoRunningConfigurationRecorderException);
var NoSuchBucketException$ = [-3, n0, _NSBE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchBucketException$, NoSuchBucketException);
var NoSuchConfigRuleException$ = [-3, n0, _NSCRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchConfigRuleException$, NoSuchConfigRuleException);
var NoSuchConfigRuleInConformancePackException$ = [-3, n0, _NSCRICPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchConfigRuleInConformancePackException$, NoSuchConfigRuleInConformancePackException);
var NoSuchConfigurationAggregatorException$ = [-3, n0, _NSCAE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchConfigurationAggregatorException$, NoSuchConfigurationAggregatorException);
var NoSuchConfigurationRecorderException$ = [-3, n0, _NSCREo,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchConfigurationRecorderException$, NoSuchConfigurationRecorderException);
var NoSuchConformancePackException$ = [-3, n0, _NSCPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchConformancePackException$, NoSuchConformancePackException);
var NoSuchDeliveryChannelException$ = [-3, n0, _NSDCE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchDeliveryChannelException$, NoSuchDeliveryChannelException);
var NoSuchOrganizationConfigRuleException$ = [-3, n0, _NSOCRE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchOrganizationConfigRuleException$, NoSuchOrganizationConfigRuleException);
var NoSuchOrganizationConformancePackException$ = [-3, n0, _NSOCPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchOrganizationConformancePackException$, NoSuchOrganizationConformancePackException);
var NoSuchRemediationConfigurationException$ = [-3, n0, _NSRCE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchRemediationConfigurationException$, NoSuchRemediationConfigurationException);
var NoSuchRemediationExceptionException$ = [-3, n0, _NSREE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchRemediationExceptionException$, NoSuchRemediationExceptionException);
var NoSuchRetentionConfigurationException$ = [-3, n0, _NSRCEo,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(NoSuchRetentionConfigurationException$, NoSuchRetentionConfigurationException);
var OrganizationAccessDeniedException$ = [-3, n0, _OADE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(OrganizationAccessDeniedException$, OrganizationAccessDeniedException);
var OrganizationAllFeaturesNotEnabledException$ = [-3, n0, _OAFNEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(OrganizationAllFeaturesNotEnabledException$, OrganizationAllFeaturesNotEnabledException);
var OrganizationConformancePackTemplateValidationException$ = [-3, n0, _OCPTVE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(OrganizationConformancePackTemplateValidationException$, OrganizationConformancePackTemplateValidationException);
var OversizedConfigurationItemException$ = [-3, n0, _OCIE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(OversizedConfigurationItemException$, OversizedConfigurationItemException);
var RemediationInProgressException$ = [-3, n0, _RIPE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(RemediationInProgressException$, RemediationInProgressException);
var ResourceConcurrentModificationException$ = [-3, n0, _RCME,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ResourceConcurrentModificationException$, ResourceConcurrentModificationException);
var ResourceInUseException$ = [-3, n0, _RIUE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ResourceInUseException$, ResourceInUseException);
var ResourceNotDiscoveredException$ = [-3, n0, _RNDE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ResourceNotDiscoveredException$, ResourceNotDiscoveredException);
var ResourceNotFoundException$ = [-3, n0, _RNFE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
var TooManyTagsException$ = [-3, n0, _TMTE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(TooManyTagsException$, TooManyTagsException);
var UnmodifiableEntityException$ = [-3, n0, _UEE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(UnmodifiableEntityException$, UnmodifiableEntityException);
var ValidationException$ = [-3, n0, _VE,
    { [_e]: _c },
    [_m],
    [0]
];
n0_registry.registerError(ValidationException$, ValidationException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var AccountAggregationSource$ = [3, n0, _AAS,
    0,
    [_AI, _AAR, _AR],
    [64 | 0, 2, 64 | 0], 1
];
var AggregateComplianceByConfigRule$ = [3, n0, _ACBCR,
    0,
    [_CRN, _C, _AIc, _ARw],
    [0, () => Compliance$, 0, 0]
];
var AggregateComplianceByConformancePack$ = [3, n0, _ACBCP,
    0,
    [_CPN, _C, _AIc, _ARw],
    [0, () => AggregateConformancePackCompliance$, 0, 0]
];
var AggregateComplianceCount$ = [3, n0, _ACC,
    0,
    [_GN, _CS],
    [0, () => ComplianceSummary$]
];
var AggregateConformancePackCompliance$ = [3, n0, _ACPC,
    0,
    [_CT, _CRC, _NCRC, _TRC],
    [0, 1, 1, 1]
];
var AggregateConformancePackComplianceCount$ = [3, n0, _ACPCC,
    0,
    [_CCPC, _NCCPC],
    [1, 1]
];
var AggregateConformancePackComplianceFilters$ = [3, n0, _ACPCF,
    0,
    [_CPN, _CT, _AIc, _ARw],
    [0, 0, 0, 0]
];
var AggregateConformancePackComplianceSummary$ = [3, n0, _ACPCS,
    0,
    [_CS, _GN],
    [() => AggregateConformancePackComplianceCount$, 0]
];
var AggregateConformancePackComplianceSummaryFilters$ = [3, n0, _ACPCSF,
    0,
    [_AIc, _ARw],
    [0, 0]
];
var AggregatedSourceStatus$ = [3, n0, _ASS,
    0,
    [_SI, _ST, _ARw, _LUS, _LUT, _LEC, _LEM],
    [0, 0, 0, 0, 4, 0, 0]
];
var AggregateEvaluationResult$ = [3, n0, _AER,
    0,
    [_ERI, _CT, _RRT, _CRIT, _A, _AIc, _ARw],
    [() => EvaluationResultIdentifier$, 0, 4, 4, 0, 0, 0]
];
var AggregateResourceIdentifier$ = [3, n0, _ARI,
    0,
    [_SAI, _SR, _RI, _RT, _RN],
    [0, 0, 0, 0, 0], 4
];
var AggregationAuthorization$ = [3, n0, _AA,
    0,
    [_AAA, _AAI, _AARu, _CTr],
    [0, 0, 0, 4]
];
var AggregatorFilterResourceType$ = [3, n0, _AFRT,
    0,
    [_T, _V],
    [0, 64 | 0]
];
var AggregatorFilters$ = [3, n0, _AF,
    0,
    [_RT, _SP],
    [() => AggregatorFilterResourceType$, () => AggregatorFilterServicePrincipal$]
];
var AggregatorFilterServicePrincipal$ = [3, n0, _AFSP,
    0,
    [_T, _V],
    [0, 64 | 0]
];
var AssociateResourceTypesRequest$ = [3, n0, _ARTR,
    0,
    [_CRA, _RTe],
    [0, 64 | 0], 2
];
var AssociateResourceTypesResponse$ = [3, n0, _ARTRs,
    0,
    [_CR],
    [() => ConfigurationRecorder$], 1
];
var AzureConnectorConfiguration$ = [3, n0, _ACCz,
    0,
    [_tI, _cI],
    [0, 0], 2
];
var BaseConfigurationItem$ = [3, n0, _BCI,
    0,
    [_v, _aI, _cICT, _cIS, _cSI, _a, _rT, _rI, _rN, _aR, _aZ, _rCT, _co, _sC, _rF, _cIDT],
    [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 128 | 0, 0, 4]
];
var BatchGetAggregateResourceConfigRequest$ = [3, n0, _BGARCR,
    0,
    [_CAN, _RIe],
    [0, () => ResourceIdentifiersList], 2
];
var BatchGetAggregateResourceConfigResponse$ = [3, n0, _BGARCRa,
    0,
    [_BCIa, _URI],
    [() => BaseConfigurationItems, () => UnprocessedResourceIdentifierList]
];
var BatchGetResourceConfigRequest$ = [3, n0, _BGRCR,
    0,
    [_rK],
    [() => ResourceKeys], 1
];
var BatchGetResourceConfigResponse$ = [3, n0, _BGRCRa,
    0,
    [_bCI, _uRK],
    [() => BaseConfigurationItems, () => ResourceKeys]
];
var Compliance$ = [3, n0, _C,
    0,
    [_CT, _CCC],
    [0, () => ComplianceContributorCount$]
];
var ComplianceByConfigRule$ = [3, n0, _CBCR,
    0,
    [_CRN, _C],
    [0, () => Compliance$]
];
var ComplianceByResource$ = [3, n0, _CBR,
    0,
    [_RT, _RI, _C],
    [0, 0, () => Compliance$]
];
var ComplianceContributorCount$ = [3, n0, _CCC,
    0,
    [_CC, _CEa],
    [1, 2]
];
var ComplianceSummary$ = [3, n0, _CS,
    0,
    [_CRCo, _NCRCo, _CST],
    [() => ComplianceContributorCount$, () => ComplianceContributorCount$, 4]
];
var ComplianceSummaryByResourceType$ = [3, n0, _CSBRT,
    0,
    [_RT, _CS],
    [0, () => ComplianceSummary$]
];
var ConfigExportDeliveryInfo$ = [3, n0, _CEDI,
    0,
    [_lS, _lEC, _lEM, _lAT, _lST, _nDT],
    [0, 0, 0, 4, 4, 4]
];
var ConfigRule$ = [3, n0, _CRo,
    0,
    [_S, _CRN, _CRAo, _CRI, _D, _Sc, _IP, _MEF, _CRS, _CB, _EM, _REV],
    [() => Source$, 0, 0, 0, 0, () => Scope$, 0, 0, 0, 0, () => EvaluationModes, 0], 1
];
var ConfigRuleComplianceFilters$ = [3, n0, _CRCF,
    0,
    [_CRN, _CT, _AIc, _ARw],
    [0, 0, 0, 0]
];
var ConfigRuleComplianceSummaryFilters$ = [3, n0, _CRCSF,
    0,
    [_AIc, _ARw],
    [0, 0]
];
var ConfigRuleEvaluationStatus$ = [3, n0, _CRES,
    0,
    [_CRN, _CRAo, _CRI, _LSIT, _LFIT, _LSET, _LFET, _FAT, _LDT, _LEC, _LEM, _FES, _LDLDS, _LDLDSR, _LDLDT],
    [0, 0, 0, 4, 4, 4, 4, 4, 4, 0, 0, 2, 0, 0, 4]
];
var ConfigSnapshotDeliveryProperties$ = [3, n0, _CSDP,
    0,
    [_dF],
    [0]
];
var ConfigStreamDeliveryInfo$ = [3, n0, _CSDI,
    0,
    [_lS, _lEC, _lEM, _lSCT],
    [0, 0, 0, 4]
];
var ConfigurationAggregator$ = [3, n0, _CA,
    0,
    [_CAN, _CAA, _AASc, _OAS, _CTr, _LUTa, _CB, _AF],
    [0, 0, () => AccountAggregationSourceList, () => OrganizationAggregationSource$, 4, 4, 0, () => AggregatorFilters$]
];
var ConfigurationItem$ = [3, n0, _CI,
    0,
    [_v, _aI, _cICT, _cIS, _cSI, _cIMDH, _a, _rT, _rI, _rN, _aR, _aZ, _rCT, _t, _rE, _r, _co, _sC, _rF, _cIDT],
    [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 128 | 0, 64 | 0, () => RelationshipList, 0, 128 | 0, 0, 4]
];
var ConfigurationRecorder$ = [3, n0, _CR,
    0,
    [_a, _n, _rARN, _rG, _rM, _rS, _sP, _cA, _sCc],
    [0, 0, 0, () => RecordingGroup$, () => RecordingMode$, 0, 0, 0, () => ScopeConfiguration$]
];
var ConfigurationRecorderFilter$ = [3, n0, _CRF,
    0,
    [_fN, _fV],
    [0, 64 | 0]
];
var ConfigurationRecorderStatus$ = [3, n0, _CRSo,
    0,
    [_a, _n, _lSTa, _lSTas, _re, _lS, _lEC, _lEM, _lSCT, _sP],
    [0, 0, 4, 4, 2, 0, 0, 0, 4, 0]
];
var ConfigurationRecorderSummary$ = [3, n0, _CRSon,
    0,
    [_a, _n, _rS, _sP, _p],
    [0, 0, 0, 0, 0], 3
];
var ConformancePackComplianceFilters$ = [3, n0, _CPCF,
    0,
    [_CRNo, _CT],
    [64 | 0, 0]
];
var ConformancePackComplianceScore$ = [3, n0, _CPCS,
    0,
    [_Sco, _CPN, _LUTa],
    [0, 0, 4]
];
var ConformancePackComplianceScoresFilters$ = [3, n0, _CPCSF,
    0,
    [_CPNo],
    [64 | 0], 1
];
var ConformancePackComplianceSummary$ = [3, n0, _CPCSo,
    0,
    [_CPN, _CPCSon],
    [0, 0], 2
];
var ConformancePackDetail$ = [3, n0, _CPD,
    0,
    [_CPN, _CPA, _CPI, _DSB, _DSKP, _CPIP, _LURT, _CB, _TSSMDD],
    [0, 0, 0, 0, 0, () => ConformancePackInputParameters, 4, 0, () => TemplateSSMDocumentDetails$], 3
];
var ConformancePackEvaluationFilters$ = [3, n0, _CPEF,
    0,
    [_CRNo, _CT, _RT, _RIes],
    [64 | 0, 0, 0, 64 | 0]
];
var ConformancePackEvaluationResult$ = [3, n0, _CPER,
    0,
    [_CT, _ERI, _CRIT, _RRT, _A],
    [0, () => EvaluationResultIdentifier$, 4, 4, 0], 4
];
var ConformancePackInputParameter$ = [3, n0, _CPIPo,
    0,
    [_PN, _PV],
    [0, 0], 2
];
var ConformancePackRuleCompliance$ = [3, n0, _CPRC,
    0,
    [_CRN, _CT, _Co],
    [0, 0, 64 | 0]
];
var ConformancePackStatusDetail$ = [3, n0, _CPSD,
    0,
    [_CPN, _CPI, _CPA, _CPS, _SA, _LURT, _CPSR, _LUCT],
    [0, 0, 0, 0, 0, 4, 0, 4], 6
];
var Connector$ = [3, n0, _Con,
    0,
    [_n, _a, _cC, _cT],
    [0, 0, () => ConnectorConfiguration$, 4], 4
];
var ConnectorConfiguration$ = [3, n0, _CCo,
    0,
    [_az],
    [() => AzureConnectorConfiguration$]
];
var ConnectorFilter$ = [3, n0, _CF,
    0,
    [_fN, _fVi],
    [0, 64 | 0]
];
var ConnectorSummary$ = [3, n0, _CSo,
    0,
    [_a, _n, _p, _tI, _cT],
    [0, 0, 0, 0, 4], 5
];
var CustomPolicyDetails$ = [3, n0, _CPDu,
    0,
    [_PR, _PT, _EDLD],
    [0, 0, 2], 2
];
var DeleteAggregationAuthorizationRequest$ = [3, n0, _DAAR,
    0,
    [_AAI, _AARu],
    [0, 0], 2
];
var DeleteConfigRuleRequest$ = [3, n0, _DCRR,
    0,
    [_CRN],
    [0], 1
];
var DeleteConfigurationAggregatorRequest$ = [3, n0, _DCAR,
    0,
    [_CAN],
    [0], 1
];
var DeleteConfigurationRecorderRequest$ = [3, n0, _DCRRe,
    0,
    [_CRNon],
    [0], 1
];
var DeleteConformancePackRequest$ = [3, n0, _DCPR,
    0,
    [_CPN],
    [0], 1
];
var DeleteConnectorRequest$ = [3, n0, _DCR,
    0,
    [_Ar],
    [0], 1
];
var DeleteDeliveryChannelRequest$ = [3, n0, _DDCR,
    0,
    [_DCN],
    [0], 1
];
var DeleteEvaluationResultsRequest$ = [3, n0, _DERR,
    0,
    [_CRN],
    [0], 1
];
var DeleteEvaluationResultsResponse$ = [3, n0, _DERRe,
    0,
    [],
    []
];
var DeleteOrganizationConfigRuleRequest$ = [3, n0, _DOCRR,
    0,
    [_OCRN],
    [0], 1
];
var DeleteOrganizationConformancePackRequest$ = [3, n0, _DOCPR,
    0,
    [_OCPN],
    [0], 1
];
var DeletePendingAggregationRequestRequest$ = [3, n0, _DPARR,
    0,
    [_RAI, _RAR],
    [0, 0], 2
];
var DeleteRemediationConfigurationRequest$ = [3, n0, _DRCR,
    0,
    [_CRN, _RT],
    [0, 0], 1
];
var DeleteRemediationConfigurationResponse$ = [3, n0, _DRCRe,
    0,
    [],
    []
];
var DeleteRemediationExceptionsRequest$ = [3, n0, _DRER,
    0,
    [_CRN, _RK],
    [0, () => RemediationExceptionResourceKeys], 2
];
var DeleteRemediationExceptionsResponse$ = [3, n0, _DRERe,
    0,
    [_FB],
    [() => FailedDeleteRemediationExceptionsBatches]
];
var DeleteResourceConfigRequest$ = [3, n0, _DRCRel,
    0,
    [_RT, _RI],
    [0, 0], 2
];
var DeleteRetentionConfigurationRequest$ = [3, n0, _DRCRele,
    0,
    [_RCN],
    [0], 1
];
var DeleteServiceLinkedConfigurationRecorderRequest$ = [3, n0, _DSLCRR,
    0,
    [_SP, _Ar],
    [0, 0]
];
var DeleteServiceLinkedConfigurationRecorderResponse$ = [3, n0, _DSLCRRe,
    0,
    [_Ar, _N],
    [0, 0], 2
];
var DeleteStoredQueryRequest$ = [3, n0, _DSQR,
    0,
    [_QN],
    [0], 1
];
var DeleteStoredQueryResponse$ = [3, n0, _DSQRe,
    0,
    [],
    []
];
var DeliverConfigSnapshotRequest$ = [3, n0, _DCSR,
    0,
    [_dCN],
    [0], 1
];
var DeliverConfigSnapshotResponse$ = [3, n0, _DCSRe,
    0,
    [_cSIo],
    [0]
];
var DeliveryChannel$ = [3, n0, _DC,
    0,
    [_n, _sBN, _sKP, _sKKA, _sTARN, _cSDP],
    [0, 0, 0, 0, 0, () => ConfigSnapshotDeliveryProperties$]
];
var DeliveryChannelStatus$ = [3, n0, _DCS,
    0,
    [_n, _cSDI, _cHDI, _cSDIo],
    [0, () => ConfigExportDeliveryInfo$, () => ConfigExportDeliveryInfo$, () => ConfigStreamDeliveryInfo$]
];
var DescribeAggregateComplianceByConfigRulesRequest$ = [3, n0, _DACBCRR,
    0,
    [_CAN, _F, _L, _NT],
    [0, () => ConfigRuleComplianceFilters$, 1, 0], 1
];
var DescribeAggregateComplianceByConfigRulesResponse$ = [3, n0, _DACBCRRe,
    0,
    [_ACBCRg, _NT],
    [() => AggregateComplianceByConfigRuleList, 0]
];
var DescribeAggregateComplianceByConformancePacksRequest$ = [3, n0, _DACBCPR,
    0,
    [_CAN, _F, _L, _NT],
    [0, () => AggregateConformancePackComplianceFilters$, 1, 0], 1
];
var DescribeAggregateComplianceByConformancePacksResponse$ = [3, n0, _DACBCPRe,
    0,
    [_ACBCPg, _NT],
    [() => AggregateComplianceByConformancePackList, 0]
];
var DescribeAggregationAuthorizationsRequest$ = [3, n0, _DAARe,
    0,
    [_L, _NT],
    [1, 0]
];
var DescribeAggregationAuthorizationsResponse$ = [3, n0, _DAARes,
    0,
    [_AAg, _NT],
    [() => AggregationAuthorizationList, 0]
];
var DescribeComplianceByConfigRuleRequest$ = [3, n0, _DCBCRR,
    0,
    [_CRNo, _CTo, _NT],
    [64 | 0, 64 | 0, 0]
];
var DescribeComplianceByConfigRuleResponse$ = [3, n0, _DCBCRRe,
    0,
    [_CBCRo, _NT],
    [() => ComplianceByConfigRules, 0]
];
var DescribeComplianceByResourceRequest$ = [3, n0, _DCBRR,
    0,
    [_RT, _RI, _CTo, _L, _NT],
    [0, 0, 64 | 0, 1, 0]
];
var DescribeComplianceByResourceResponse$ = [3, n0, _DCBRRe,
    0,
    [_CBRo, _NT],
    [() => ComplianceByResources, 0]
];
var DescribeConfigRuleEvaluationStatusRequest$ = [3, n0, _DCRESR,
    0,
    [_CRNo, _NT, _L],
    [64 | 0, 0, 1]
];
var DescribeConfigRuleEvaluationStatusResponse$ = [3, n0, _DCRESRe,
    0,
    [_CRESo, _NT],
    [() => ConfigRuleEvaluationStatusList, 0]
];
var DescribeConfigRulesFilters$ = [3, n0, _DCRF,
    0,
    [_EMv, _REV],
    [0, 0]
];
var DescribeConfigRulesRequest$ = [3, n0, _DCRRes,
    0,
    [_CRNo, _F, _NT],
    [64 | 0, () => DescribeConfigRulesFilters$, 0]
];
var DescribeConfigRulesResponse$ = [3, n0, _DCRResc,
    0,
    [_CRon, _NT],
    [() => ConfigRules, 0]
];
var DescribeConfigurationAggregatorSourcesStatusRequest$ = [3, n0, _DCASSR,
    0,
    [_CAN, _US, _NT, _L],
    [0, 64 | 0, 0, 1], 1
];
var DescribeConfigurationAggregatorSourcesStatusResponse$ = [3, n0, _DCASSRe,
    0,
    [_ASSL, _NT],
    [() => AggregatedSourceStatusList, 0]
];
var DescribeConfigurationAggregatorsRequest$ = [3, n0, _DCARe,
    0,
    [_CANo, _NT, _L],
    [64 | 0, 0, 1]
];
var DescribeConfigurationAggregatorsResponse$ = [3, n0, _DCARes,
    0,
    [_CAo, _NT],
    [() => ConfigurationAggregatorList, 0]
];
var DescribeConfigurationRecordersRequest$ = [3, n0, _DCRRescr,
    0,
    [_CRNonf, _SP, _Ar],
    [64 | 0, 0, 0]
];
var DescribeConfigurationRecordersResponse$ = [3, n0, _DCRRescri,
    0,
    [_CRonf],
    [() => ConfigurationRecorderList]
];
var DescribeConfigurationRecorderStatusRequest$ = [3, n0, _DCRSR,
    0,
    [_CRNonf, _SP, _Ar],
    [64 | 0, 0, 0]
];
var DescribeConfigurationRecorderStatusResponse$ = [3, n0, _DCRSRe,
    0,
    [_CRSonf],
    [() => ConfigurationRecorderStatusList]
];
var DescribeConformancePackComplianceRequest$ = [3, n0, _DCPCR,
    0,
    [_CPN, _F, _L, _NT],
    [0, () => ConformancePackComplianceFilters$, 1, 0], 1
];
var DescribeConformancePackComplianceResponse$ = [3, n0, _DCPCRe,
    0,
    [_CPN, _CPRCL, _NT],
    [0, () => ConformancePackRuleComplianceList, 0], 2
];
var DescribeConformancePacksRequest$ = [3, n0, _DCPRe,
    0,
    [_CPNo, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeConformancePacksResponse$ = [3, n0, _DCPRes,
    0,
    [_CPDo, _NT],
    [() => ConformancePackDetailList, 0]
];
var DescribeConformancePackStatusRequest$ = [3, n0, _DCPSR,
    0,
    [_CPNo, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeConformancePackStatusResponse$ = [3, n0, _DCPSRe,
    0,
    [_CPSDo, _NT],
    [() => ConformancePackStatusDetailsList, 0]
];
var DescribeDeliveryChannelsRequest$ = [3, n0, _DDCRe,
    0,
    [_DCNe],
    [64 | 0]
];
var DescribeDeliveryChannelsResponse$ = [3, n0, _DDCRes,
    0,
    [_DCe],
    [() => DeliveryChannelList]
];
var DescribeDeliveryChannelStatusRequest$ = [3, n0, _DDCSR,
    0,
    [_DCNe],
    [64 | 0]
];
var DescribeDeliveryChannelStatusResponse$ = [3, n0, _DDCSRe,
    0,
    [_DCSe],
    [() => DeliveryChannelStatusList]
];
var DescribeOrganizationConfigRulesRequest$ = [3, n0, _DOCRRe,
    0,
    [_OCRNr, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeOrganizationConfigRulesResponse$ = [3, n0, _DOCRRes,
    0,
    [_OCR, _NT],
    [() => OrganizationConfigRules, 0]
];
var DescribeOrganizationConfigRuleStatusesRequest$ = [3, n0, _DOCRSR,
    0,
    [_OCRNr, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeOrganizationConfigRuleStatusesResponse$ = [3, n0, _DOCRSRe,
    0,
    [_OCRS, _NT],
    [() => OrganizationConfigRuleStatuses, 0]
];
var DescribeOrganizationConformancePacksRequest$ = [3, n0, _DOCPRe,
    0,
    [_OCPNr, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeOrganizationConformancePacksResponse$ = [3, n0, _DOCPRes,
    0,
    [_OCP, _NT],
    [() => OrganizationConformancePacks, 0]
];
var DescribeOrganizationConformancePackStatusesRequest$ = [3, n0, _DOCPSR,
    0,
    [_OCPNr, _L, _NT],
    [64 | 0, 1, 0]
];
var DescribeOrganizationConformancePackStatusesResponse$ = [3, n0, _DOCPSRe,
    0,
    [_OCPS, _NT],
    [() => OrganizationConformancePackStatuses, 0]
];
var DescribePendingAggregationRequestsRequest$ = [3, n0, _DPARRe,
    0,
    [_L, _NT],
    [1, 0]
];
var DescribePendingAggregationRequestsResponse$ = [3, n0, _DPARRes,
    0,
    [_PAR, _NT],
    [() => PendingAggregationRequestList, 0]
];
var DescribeRemediationConfigurationsRequest$ = [3, n0, _DRCRes,
    0,
    [_CRNo],
    [64 | 0], 1
];
var DescribeRemediationConfigurationsResponse$ = [3, n0, _DRCResc,
    0,
    [_RC],
    [() => RemediationConfigurations]
];
var DescribeRemediationExceptionsRequest$ = [3, n0, _DRERes,
    0,
    [_CRN, _RK, _L, _NT],
    [0, () => RemediationExceptionResourceKeys, 1, 0], 1
];
var DescribeRemediationExceptionsResponse$ = [3, n0, _DREResc,
    0,
    [_RE, _NT],
    [() => RemediationExceptions, 0]
];
var DescribeRemediationExecutionStatusRequest$ = [3, n0, _DRESR,
    0,
    [_CRN, _RK, _L, _NT],
    [0, () => ResourceKeys, 1, 0], 1
];
var DescribeRemediationExecutionStatusResponse$ = [3, n0, _DRESRe,
    0,
    [_RES, _NT],
    [() => RemediationExecutionStatuses, 0]
];
var DescribeRetentionConfigurationsRequest$ = [3, n0, _DRCRescr,
    0,
    [_RCNe, _NT],
    [64 | 0, 0]
];
var DescribeRetentionConfigurationsResponse$ = [3, n0, _DRCRescri,
    0,
    [_RCe, _NT],
    [() => RetentionConfigurationList, 0]
];
var DisassociateResourceTypesRequest$ = [3, n0, _DRTR,
    0,
    [_CRA, _RTe],
    [0, 64 | 0], 2
];
var DisassociateResourceTypesResponse$ = [3, n0, _DRTRi,
    0,
    [_CR],
    [() => ConfigurationRecorder$], 1
];
var Evaluation$ = [3, n0, _E,
    0,
    [_CRT, _CRIo, _CT, _OT, _A],
    [0, 0, 0, 4, 0], 4
];
var EvaluationContext$ = [3, n0, _EC,
    0,
    [_ECI],
    [0]
];
var EvaluationModeConfiguration$ = [3, n0, _EMC,
    0,
    [_M],
    [0]
];
var EvaluationResult$ = [3, n0, _ER,
    0,
    [_ERI, _CT, _RRT, _CRIT, _A, _RTes],
    [() => EvaluationResultIdentifier$, 0, 4, 4, 0, 0]
];
var EvaluationResultIdentifier$ = [3, n0, _ERI,
    0,
    [_ERQ, _OT, _REI],
    [() => EvaluationResultQualifier$, 4, 0]
];
var EvaluationResultQualifier$ = [3, n0, _ERQ,
    0,
    [_CRN, _RT, _RI, _EMv],
    [0, 0, 0, 0]
];
var EvaluationStatus$ = [3, n0, _ES,
    0,
    [_St, _FR],
    [0, 0], 1
];
var ExclusionByResourceTypes$ = [3, n0, _EBRT,
    0,
    [_rTe],
    [64 | 0]
];
var ExecutionControls$ = [3, n0, _ECx,
    0,
    [_SC],
    [() => SsmControls$]
];
var ExternalEvaluation$ = [3, n0, _EE,
    0,
    [_CRT, _CRIo, _CT, _OT, _A],
    [0, 0, 0, 4, 0], 4
];
var FailedDeleteRemediationExceptionsBatch$ = [3, n0, _FDREB,
    0,
    [_FM, _FI],
    [0, () => RemediationExceptionResourceKeys]
];
var FailedRemediationBatch$ = [3, n0, _FRB,
    0,
    [_FM, _FI],
    [0, () => RemediationConfigurations]
];
var FailedRemediationExceptionBatch$ = [3, n0, _FREB,
    0,
    [_FM, _FI],
    [0, () => RemediationExceptions]
];
var FieldInfo$ = [3, n0, _FIi,
    0,
    [_N],
    [0]
];
var GetAggregateComplianceDetailsByConfigRuleRequest$ = [3, n0, _GACDBCRR,
    0,
    [_CAN, _CRN, _AIc, _ARw, _CT, _L, _NT],
    [0, 0, 0, 0, 0, 1, 0], 4
];
var GetAggregateComplianceDetailsByConfigRuleResponse$ = [3, n0, _GACDBCRRe,
    0,
    [_AERg, _NT],
    [() => AggregateEvaluationResultList, 0]
];
var GetAggregateConfigRuleComplianceSummaryRequest$ = [3, n0, _GACRCSR,
    0,
    [_CAN, _F, _GBK, _L, _NT],
    [0, () => ConfigRuleComplianceSummaryFilters$, 0, 1, 0], 1
];
var GetAggregateConfigRuleComplianceSummaryResponse$ = [3, n0, _GACRCSRe,
    0,
    [_GBK, _ACCg, _NT],
    [0, () => AggregateComplianceCountList, 0]
];
var GetAggregateConformancePackComplianceSummaryRequest$ = [3, n0, _GACPCSR,
    0,
    [_CAN, _F, _GBK, _L, _NT],
    [0, () => AggregateConformancePackComplianceSummaryFilters$, 0, 1, 0], 1
];
var GetAggregateConformancePackComplianceSummaryResponse$ = [3, n0, _GACPCSRe,
    0,
    [_ACPCSg, _GBK, _NT],
    [() => AggregateConformancePackComplianceSummaryList, 0, 0]
];
var GetAggregateDiscoveredResourceCountsRequest$ = [3, n0, _GADRCR,
    0,
    [_CAN, _F, _GBK, _L, _NT],
    [0, () => ResourceCountFilters$, 0, 1, 0], 1
];
var GetAggregateDiscoveredResourceCountsResponse$ = [3, n0, _GADRCRe,
    0,
    [_TDR, _GBK, _GRC, _NT],
    [1, 0, () => GroupedResourceCountList, 0], 1
];
var GetAggregateResourceConfigRequest$ = [3, n0, _GARCR,
    0,
    [_CAN, _RIeso],
    [0, () => AggregateResourceIdentifier$], 2
];
var GetAggregateResourceConfigResponse$ = [3, n0, _GARCRe,
    0,
    [_CI],
    [() => ConfigurationItem$]
];
var GetComplianceDetailsByConfigRuleRequest$ = [3, n0, _GCDBCRR,
    0,
    [_CRN, _CTo, _L, _NT],
    [0, 64 | 0, 1, 0], 1
];
var GetComplianceDetailsByConfigRuleResponse$ = [3, n0, _GCDBCRRe,
    0,
    [_ERv, _NT],
    [() => EvaluationResults, 0]
];
var GetComplianceDetailsByResourceRequest$ = [3, n0, _GCDBRR,
    0,
    [_RT, _RI, _CTo, _NT, _REI],
    [0, 0, 64 | 0, 0, 0]
];
var GetComplianceDetailsByResourceResponse$ = [3, n0, _GCDBRRe,
    0,
    [_ERv, _NT],
    [() => EvaluationResults, 0]
];
var GetComplianceSummaryByConfigRuleResponse$ = [3, n0, _GCSBCRR,
    0,
    [_CS],
    [() => ComplianceSummary$]
];
var GetComplianceSummaryByResourceTypeRequest$ = [3, n0, _GCSBRTR,
    0,
    [_RTe],
    [64 | 0]
];
var GetComplianceSummaryByResourceTypeResponse$ = [3, n0, _GCSBRTRe,
    0,
    [_CSBRTo],
    [() => ComplianceSummariesByResourceType]
];
var GetConformancePackComplianceDetailsRequest$ = [3, n0, _GCPCDR,
    0,
    [_CPN, _F, _L, _NT],
    [0, () => ConformancePackEvaluationFilters$, 1, 0], 1
];
var GetConformancePackComplianceDetailsResponse$ = [3, n0, _GCPCDRe,
    0,
    [_CPN, _CPRER, _NT],
    [0, () => ConformancePackRuleEvaluationResultsList, 0], 1
];
var GetConformancePackComplianceSummaryRequest$ = [3, n0, _GCPCSR,
    0,
    [_CPNo, _L, _NT],
    [64 | 0, 1, 0], 1
];
var GetConformancePackComplianceSummaryResponse$ = [3, n0, _GCPCSRe,
    0,
    [_CPCSL, _NT],
    [() => ConformancePackComplianceSummaryList, 0]
];
var GetConnectorRequest$ = [3, n0, _GCR,
    0,
    [_Ar],
    [0], 1
];
var GetConnectorResponse$ = [3, n0, _GCRe,
    0,
    [_Con],
    [() => Connector$], 1
];
var GetCustomRulePolicyRequest$ = [3, n0, _GCRPR,
    0,
    [_CRN],
    [0]
];
var GetCustomRulePolicyResponse$ = [3, n0, _GCRPRe,
    0,
    [_PT],
    [0]
];
var GetDiscoveredResourceCountsRequest$ = [3, n0, _GDRCR,
    0,
    [_rTe, _l, _nT],
    [64 | 0, 1, 0]
];
var GetDiscoveredResourceCountsResponse$ = [3, n0, _GDRCRe,
    0,
    [_tDR, _rC, _nT],
    [1, () => ResourceCounts, 0]
];
var GetOrganizationConfigRuleDetailedStatusRequest$ = [3, n0, _GOCRDSR,
    0,
    [_OCRN, _F, _L, _NT],
    [0, () => StatusDetailFilters$, 1, 0], 1
];
var GetOrganizationConfigRuleDetailedStatusResponse$ = [3, n0, _GOCRDSRe,
    0,
    [_OCRDS, _NT],
    [() => OrganizationConfigRuleDetailedStatus, 0]
];
var GetOrganizationConformancePackDetailedStatusRequest$ = [3, n0, _GOCPDSR,
    0,
    [_OCPN, _F, _L, _NT],
    [0, () => OrganizationResourceDetailedStatusFilters$, 1, 0], 1
];
var GetOrganizationConformancePackDetailedStatusResponse$ = [3, n0, _GOCPDSRe,
    0,
    [_OCPDS, _NT],
    [() => OrganizationConformancePackDetailedStatuses, 0]
];
var GetOrganizationCustomRulePolicyRequest$ = [3, n0, _GOCRPR,
    0,
    [_OCRN],
    [0], 1
];
var GetOrganizationCustomRulePolicyResponse$ = [3, n0, _GOCRPRe,
    0,
    [_PT],
    [0]
];
var GetResourceConfigHistoryRequest$ = [3, n0, _GRCHR,
    0,
    [_rT, _rI, _lT, _eT, _cO, _l, _nT],
    [0, 0, 4, 4, 0, 1, 0], 2
];
var GetResourceConfigHistoryResponse$ = [3, n0, _GRCHRe,
    0,
    [_cIo, _nT],
    [() => ConfigurationItemList, 0]
];
var GetResourceEvaluationSummaryRequest$ = [3, n0, _GRESR,
    0,
    [_REI],
    [0], 1
];
var GetResourceEvaluationSummaryResponse$ = [3, n0, _GRESRe,
    0,
    [_REI, _EMv, _ES, _EST, _C, _EC, _RD],
    [0, 0, () => EvaluationStatus$, 4, 0, () => EvaluationContext$, () => ResourceDetails$]
];
var GetStoredQueryRequest$ = [3, n0, _GSQR,
    0,
    [_QN],
    [0], 1
];
var GetStoredQueryResponse$ = [3, n0, _GSQRe,
    0,
    [_SQ],
    [() => StoredQuery$]
];
var GroupedResourceCount$ = [3, n0, _GRCr,
    0,
    [_GN, _RCes],
    [0, 1], 2
];
var ListAggregateDiscoveredResourcesRequest$ = [3, n0, _LADRR,
    0,
    [_CAN, _RT, _F, _L, _NT],
    [0, 0, () => ResourceFilters$, 1, 0], 2
];
var ListAggregateDiscoveredResourcesResponse$ = [3, n0, _LADRRi,
    0,
    [_RIe, _NT],
    [() => DiscoveredResourceIdentifierList, 0]
];
var ListConfigurationRecordersRequest$ = [3, n0, _LCRR,
    0,
    [_F, _MR, _NT],
    [() => ConfigurationRecorderFilterList, 1, 0]
];
var ListConfigurationRecordersResponse$ = [3, n0, _LCRRi,
    0,
    [_CRSonfi, _NT],
    [() => ConfigurationRecorderSummaries, 0], 1
];
var ListConformancePackComplianceScoresRequest$ = [3, n0, _LCPCSR,
    0,
    [_F, _SO, _SB, _L, _NT],
    [() => ConformancePackComplianceScoresFilters$, 0, 0, 1, 0]
];
var ListConformancePackComplianceScoresResponse$ = [3, n0, _LCPCSRi,
    0,
    [_CPCSonf, _NT],
    [() => ConformancePackComplianceScores, 0], 1
];
var ListConnectorsRequest$ = [3, n0, _LCR,
    0,
    [_MR, _NT, _F],
    [1, 0, () => ConnectorFilterList]
];
var ListConnectorsResponse$ = [3, n0, _LCRi,
    0,
    [_CSon, _NT],
    [() => ConnectorSummaries, 0], 1
];
var ListDiscoveredResourcesRequest$ = [3, n0, _LDRR,
    0,
    [_rT, _rIe, _rN, _l, _iDR, _nT],
    [0, 64 | 0, 0, 1, 2, 0], 1
];
var ListDiscoveredResourcesResponse$ = [3, n0, _LDRRi,
    0,
    [_rIes, _nT],
    [() => ResourceIdentifierList, 0]
];
var ListResourceEvaluationsRequest$ = [3, n0, _LRER,
    0,
    [_F, _L, _NT],
    [() => ResourceEvaluationFilters$, 1, 0]
];
var ListResourceEvaluationsResponse$ = [3, n0, _LRERi,
    0,
    [_REe, _NT],
    [() => ResourceEvaluations, 0]
];
var ListStoredQueriesRequest$ = [3, n0, _LSQR,
    0,
    [_NT, _MR],
    [0, 1]
];
var ListStoredQueriesResponse$ = [3, n0, _LSQRi,
    0,
    [_SQM, _NT],
    [() => StoredQueryMetadataList, 0]
];
var ListTagsForResourceRequest$ = [3, n0, _LTFRR,
    0,
    [_RA, _L, _NT],
    [0, 1, 0], 1
];
var ListTagsForResourceResponse$ = [3, n0, _LTFRRi,
    0,
    [_Ta, _NT],
    [() => TagList, 0]
];
var MemberAccountStatus$ = [3, n0, _MAS,
    0,
    [_AIc, _CRN, _MARS, _ECr, _EMr, _LUT],
    [0, 0, 0, 0, 0, 4], 3
];
var OrganizationAggregationSource$ = [3, n0, _OAS,
    0,
    [_RAo, _AR, _AAR],
    [0, 64 | 0, 2], 1
];
var OrganizationConfigRule$ = [3, n0, _OCRr,
    0,
    [_OCRN, _OCRA, _OMRM, _OCRM, _EA, _LUT, _OCPRM],
    [0, 0, () => OrganizationManagedRuleMetadata$, () => OrganizationCustomRuleMetadata$, 64 | 0, 4, () => OrganizationCustomPolicyRuleMetadataNoPolicy$], 2
];
var OrganizationConfigRuleStatus$ = [3, n0, _OCRSr,
    0,
    [_OCRN, _ORS, _ECr, _EMr, _LUT],
    [0, 0, 0, 0, 4], 2
];
var OrganizationConformancePack$ = [3, n0, _OCPr,
    0,
    [_OCPN, _OCPA, _LUT, _DSB, _DSKP, _CPIP, _EA],
    [0, 0, 4, 0, 0, () => ConformancePackInputParameters, 64 | 0], 3
];
var OrganizationConformancePackDetailedStatus$ = [3, n0, _OCPDSr,
    0,
    [_AIc, _CPN, _St, _ECr, _EMr, _LUT],
    [0, 0, 0, 0, 0, 4], 3
];
var OrganizationConformancePackStatus$ = [3, n0, _OCPSr,
    0,
    [_OCPN, _St, _ECr, _EMr, _LUT],
    [0, 0, 0, 0, 4], 2
];
var OrganizationCustomPolicyRuleMetadata$ = [3, n0, _OCPRM,
    0,
    [_PR, _PT, _D, _OCRTT, _IP, _MEF, _RTS, _RIS, _TKS, _TVS, _DLDA],
    [0, 0, 0, 64 | 0, 0, 0, 64 | 0, 0, 0, 0, 64 | 0], 2
];
var OrganizationCustomPolicyRuleMetadataNoPolicy$ = [3, n0, _OCPRMNP,
    0,
    [_D, _OCRTT, _IP, _MEF, _RTS, _RIS, _TKS, _TVS, _PR, _DLDA],
    [0, 64 | 0, 0, 0, 64 | 0, 0, 0, 0, 0, 64 | 0]
];
var OrganizationCustomRuleMetadata$ = [3, n0, _OCRM,
    0,
    [_LFA, _OCRTT, _D, _IP, _MEF, _RTS, _RIS, _TKS, _TVS],
    [0, 64 | 0, 0, 0, 0, 64 | 0, 0, 0, 0], 2
];
var OrganizationManagedRuleMetadata$ = [3, n0, _OMRM,
    0,
    [_RIu, _D, _IP, _MEF, _RTS, _RIS, _TKS, _TVS],
    [0, 0, 0, 0, 64 | 0, 0, 0, 0], 1
];
var OrganizationResourceDetailedStatusFilters$ = [3, n0, _ORDSF,
    0,
    [_AIc, _St],
    [0, 0]
];
var PendingAggregationRequest$ = [3, n0, _PARe,
    0,
    [_RAI, _RAR],
    [0, 0]
];
var PutAggregationAuthorizationRequest$ = [3, n0, _PAAR,
    0,
    [_AAI, _AARu, _Ta],
    [0, 0, () => TagsList], 2
];
var PutAggregationAuthorizationResponse$ = [3, n0, _PAARu,
    0,
    [_AA],
    [() => AggregationAuthorization$]
];
var PutConfigRuleRequest$ = [3, n0, _PCRR,
    0,
    [_CRo, _Ta],
    [() => ConfigRule$, () => TagsList], 1
];
var PutConfigurationAggregatorRequest$ = [3, n0, _PCAR,
    0,
    [_CAN, _AASc, _OAS, _Ta, _AF],
    [0, () => AccountAggregationSourceList, () => OrganizationAggregationSource$, () => TagsList, () => AggregatorFilters$], 1
];
var PutConfigurationAggregatorResponse$ = [3, n0, _PCARu,
    0,
    [_CA],
    [() => ConfigurationAggregator$]
];
var PutConfigurationRecorderRequest$ = [3, n0, _PCRRu,
    0,
    [_CR, _Ta],
    [() => ConfigurationRecorder$, () => TagsList], 1
];
var PutConformancePackRequest$ = [3, n0, _PCPR,
    0,
    [_CPN, _TSU, _TB, _DSB, _DSKP, _CPIP, _TSSMDD, _Ta],
    [0, 0, 0, 0, 0, () => ConformancePackInputParameters, () => TemplateSSMDocumentDetails$, () => TagsList], 1
];
var PutConformancePackResponse$ = [3, n0, _PCPRu,
    0,
    [_CPA],
    [0]
];
var PutConnectorRequest$ = [3, n0, _PCR,
    0,
    [_CCo, _Ta],
    [() => ConnectorConfiguration$, () => TagsList], 1
];
var PutConnectorResponse$ = [3, n0, _PCRu,
    0,
    [_Ar],
    [0], 1
];
var PutDeliveryChannelRequest$ = [3, n0, _PDCR,
    0,
    [_DC],
    [() => DeliveryChannel$], 1
];
var PutEvaluationsRequest$ = [3, n0, _PER,
    0,
    [_RTes, _Ev, _TM],
    [0, () => Evaluations, 2], 1
];
var PutEvaluationsResponse$ = [3, n0, _PERu,
    0,
    [_FE],
    [() => Evaluations]
];
var PutExternalEvaluationRequest$ = [3, n0, _PEER,
    0,
    [_CRN, _EE],
    [0, () => ExternalEvaluation$], 2
];
var PutExternalEvaluationResponse$ = [3, n0, _PEERu,
    0,
    [],
    []
];
var PutOrganizationConfigRuleRequest$ = [3, n0, _POCRR,
    0,
    [_OCRN, _OMRM, _OCRM, _EA, _OCPRM, _Ta],
    [0, () => OrganizationManagedRuleMetadata$, () => OrganizationCustomRuleMetadata$, 64 | 0, () => OrganizationCustomPolicyRuleMetadata$, () => TagsList], 1
];
var PutOrganizationConfigRuleResponse$ = [3, n0, _POCRRu,
    0,
    [_OCRA],
    [0]
];
var PutOrganizationConformancePackRequest$ = [3, n0, _POCPR,
    0,
    [_OCPN, _TSU, _TB, _DSB, _DSKP, _CPIP, _EA, _Ta],
    [0, 0, 0, 0, 0, () => ConformancePackInputParameters, 64 | 0, () => TagsList], 1
];
var PutOrganizationConformancePackResponse$ = [3, n0, _POCPRu,
    0,
    [_OCPA],
    [0]
];
var PutRemediationConfigurationsRequest$ = [3, n0, _PRCR,
    0,
    [_RC],
    [() => RemediationConfigurations], 1
];
var PutRemediationConfigurationsResponse$ = [3, n0, _PRCRu,
    0,
    [_FB],
    [() => FailedRemediationBatches]
];
var PutRemediationExceptionsRequest$ = [3, n0, _PRER,
    0,
    [_CRN, _RK, _Me, _ET],
    [0, () => RemediationExceptionResourceKeys, 0, 4], 2
];
var PutRemediationExceptionsResponse$ = [3, n0, _PRERu,
    0,
    [_FB],
    [() => FailedRemediationExceptionBatches]
];
var PutResourceConfigRequest$ = [3, n0, _PRCRut,
    0,
    [_RT, _SVI, _RI, _Conf, _RN, _Ta],
    [0, 0, 0, 0, 0, 128 | 0], 4
];
var PutRetentionConfigurationRequest$ = [3, n0, _PRCRute,
    0,
    [_RPID],
    [1], 1
];
var PutRetentionConfigurationResponse$ = [3, n0, _PRCRutet,
    0,
    [_RCet],
    [() => RetentionConfiguration$]
];
var PutServiceLinkedConfigurationRecorderRequest$ = [3, n0, _PSLCRR,
    0,
    [_SP, _Ta],
    [0, () => TagsList], 1
];
var PutServiceLinkedConfigurationRecorderResponse$ = [3, n0, _PSLCRRu,
    0,
    [_Ar, _N],
    [0, 0]
];
var PutStoredQueryRequest$ = [3, n0, _PSQR,
    0,
    [_SQ, _Ta],
    [() => StoredQuery$, () => TagsList], 1
];
var PutStoredQueryResponse$ = [3, n0, _PSQRu,
    0,
    [_QA],
    [0]
];
var PutThirdPartyServiceLinkedConfigurationRecorderRequest$ = [3, n0, _PTPSLCRR,
    0,
    [_SP, _CAon, _SCc, _Ta],
    [0, 0, () => ScopeConfiguration$, () => TagsList], 3
];
var PutThirdPartyServiceLinkedConfigurationRecorderResponse$ = [3, n0, _PTPSLCRRu,
    0,
    [_Ar, _N],
    [0, 0], 2
];
var QueryInfo$ = [3, n0, _QI,
    0,
    [_SF],
    [() => FieldInfoList]
];
var RecordingGroup$ = [3, n0, _RG,
    0,
    [_aS, _iGRT, _rTe, _eBRT, _rSe],
    [2, 2, 64 | 0, () => ExclusionByResourceTypes$, () => RecordingStrategy$]
];
var RecordingMode$ = [3, n0, _RM,
    0,
    [_rF, _rMO],
    [0, () => RecordingModeOverrides], 1
];
var RecordingModeOverride$ = [3, n0, _RMO,
    0,
    [_rTe, _rF, _d],
    [64 | 0, 0, 0], 2
];
var RecordingStrategy$ = [3, n0, _RS,
    0,
    [_uO],
    [0]
];
var Relationship$ = [3, n0, _R,
    0,
    [_rT, _rI, _rN, _rNe],
    [0, 0, 0, 0]
];
var RemediationConfiguration$ = [3, n0, _RCem,
    0,
    [_CRN, _TT, _TI, _TV, _P, _RT, _Au, _ECx, _MAA, _RAS, _Ar, _CBS],
    [0, 0, 0, 0, () => RemediationParameters, 0, 2, () => ExecutionControls$, 1, 1, 0, 0], 3
];
var RemediationException$ = [3, n0, _REem,
    0,
    [_CRN, _RT, _RI, _Me, _ET],
    [0, 0, 0, 0, 4], 3
];
var RemediationExceptionResourceKey$ = [3, n0, _RERK,
    0,
    [_RT, _RI],
    [0, 0]
];
var RemediationExecutionStatus$ = [3, n0, _RESe,
    0,
    [_RKe, _Sta, _SD, _IT, _LUTa],
    [() => ResourceKey$, 0, () => RemediationExecutionSteps, 4, 4]
];
var RemediationExecutionStep$ = [3, n0, _RESem,
    0,
    [_N, _Sta, _EMr, _STt, _STto],
    [0, 0, 0, 4, 4]
];
var RemediationParameterValue$ = [3, n0, _RPV,
    0,
    [_RV, _SV],
    [() => ResourceValue$, () => StaticValue$]
];
var ResourceCount$ = [3, n0, _RCes,
    0,
    [_rT, _cou],
    [0, 1]
];
var ResourceCountFilters$ = [3, n0, _RCF,
    0,
    [_RT, _AIc, _Re],
    [0, 0, 0]
];
var ResourceDetails$ = [3, n0, _RD,
    0,
    [_RI, _RT, _RCeso, _RCST],
    [0, 0, 0, 0], 3
];
var ResourceEvaluation$ = [3, n0, _REes,
    0,
    [_REI, _EMv, _EST],
    [0, 0, 4]
];
var ResourceEvaluationFilters$ = [3, n0, _REF,
    0,
    [_EMv, _TW, _ECI],
    [0, () => TimeWindow$, 0]
];
var ResourceFilters$ = [3, n0, _RF,
    0,
    [_AIc, _RI, _RN, _Re],
    [0, 0, 0, 0]
];
var ResourceIdentifier$ = [3, n0, _RIeso,
    0,
    [_rT, _rI, _rN, _rDT],
    [0, 0, 0, 4]
];
var ResourceKey$ = [3, n0, _RKe,
    0,
    [_rT, _rI],
    [0, 0], 2
];
var ResourceValue$ = [3, n0, _RV,
    0,
    [_V],
    [0], 1
];
var RetentionConfiguration$ = [3, n0, _RCet,
    0,
    [_N, _RPID],
    [0, 1], 2
];
var Scope$ = [3, n0, _Sc,
    0,
    [_CRTo, _TK, _TVa, _CRIo, _SPe],
    [64 | 0, 0, 0, 0, 64 | 0]
];
var ScopeConfiguration$ = [3, n0, _SCc,
    0,
    [_sT, _aRl, _sV, _iR],
    [0, 2, 64 | 0, 64 | 0], 2
];
var SelectAggregateResourceConfigRequest$ = [3, n0, _SARCR,
    0,
    [_Ex, _CAN, _L, _MR, _NT],
    [0, 0, 1, 1, 0], 2
];
var SelectAggregateResourceConfigResponse$ = [3, n0, _SARCRe,
    0,
    [_Res, _QI, _NT],
    [64 | 0, () => QueryInfo$, 0]
];
var SelectResourceConfigRequest$ = [3, n0, _SRCR,
    0,
    [_Ex, _L, _NT],
    [0, 1, 0], 1
];
var SelectResourceConfigResponse$ = [3, n0, _SRCRe,
    0,
    [_Res, _QI, _NT],
    [64 | 0, () => QueryInfo$, 0]
];
var Source$ = [3, n0, _S,
    0,
    [_O, _SIo, _SDo, _CPDu],
    [0, 0, () => SourceDetails, () => CustomPolicyDetails$], 1
];
var SourceDetail$ = [3, n0, _SDou,
    0,
    [_ESv, _MT, _MEF],
    [0, 0, 0]
];
var SsmControls$ = [3, n0, _SC,
    0,
    [_CERP, _EP],
    [1, 1]
];
var StartConfigRulesEvaluationRequest$ = [3, n0, _SCRER,
    0,
    [_CRNo],
    [64 | 0]
];
var StartConfigRulesEvaluationResponse$ = [3, n0, _SCRERt,
    0,
    [],
    []
];
var StartConfigurationRecorderRequest$ = [3, n0, _SCRR,
    0,
    [_CRNon],
    [0], 1
];
var StartRemediationExecutionRequest$ = [3, n0, _SRER,
    0,
    [_CRN, _RK],
    [0, () => ResourceKeys], 2
];
var StartRemediationExecutionResponse$ = [3, n0, _SRERt,
    0,
    [_FM, _FI],
    [0, () => ResourceKeys]
];
var StartResourceEvaluationRequest$ = [3, n0, _SRERta,
    0,
    [_RD, _EMv, _EC, _ETv, _CTl],
    [() => ResourceDetails$, 0, () => EvaluationContext$, 1, 0], 2
];
var StartResourceEvaluationResponse$ = [3, n0, _SRERtar,
    0,
    [_REI],
    [0]
];
var StaticValue$ = [3, n0, _SV,
    0,
    [_Va],
    [64 | 0], 1
];
var StatusDetailFilters$ = [3, n0, _SDF,
    0,
    [_AIc, _MARS],
    [0, 0]
];
var StopConfigurationRecorderRequest$ = [3, n0, _SCRRt,
    0,
    [_CRNon],
    [0], 1
];
var StoredQuery$ = [3, n0, _SQ,
    0,
    [_QN, _QIu, _QA, _D, _Ex],
    [0, 0, 0, 0, 0], 1
];
var StoredQueryMetadata$ = [3, n0, _SQM,
    0,
    [_QIu, _QA, _QN, _D],
    [0, 0, 0, 0], 3
];
var Tag$ = [3, n0, _Tag,
    0,
    [_K, _V],
    [0, 0]
];
var TagResourceRequest$ = [3, n0, _TRR,
    0,
    [_RA, _Ta],
    [0, () => TagList], 2
];
var TemplateSSMDocumentDetails$ = [3, n0, _TSSMDD,
    0,
    [_DN, _DV],
    [0, 0], 1
];
var TimeWindow$ = [3, n0, _TW,
    0,
    [_STt, _ETn],
    [4, 4]
];
var UntagResourceRequest$ = [3, n0, _URR,
    0,
    [_RA, _TKa],
    [0, 64 | 0], 2
];
var __Unit = "unit";
var AccountAggregationSourceList = [1, n0, _AASL,
    0, () => AccountAggregationSource$
];
var AggregateComplianceByConfigRuleList = [1, n0, _ACBCRL,
    0, () => AggregateComplianceByConfigRule$
];
var AggregateComplianceByConformancePackList = [1, n0, _ACBCPL,
    0, () => AggregateComplianceByConformancePack$
];
var AggregateComplianceCountList = [1, n0, _ACCL,
    0, () => AggregateComplianceCount$
];
var AggregateConformancePackComplianceSummaryList = [1, n0, _ACPCSL,
    0, () => AggregateConformancePackComplianceSummary$
];
var AggregatedSourceStatusList = [1, n0, _ASSL,
    0, () => AggregatedSourceStatus$
];
var AggregateEvaluationResultList = [1, n0, _AERL,
    0, () => AggregateEvaluationResult$
];
var AggregationAuthorizationList = [1, n0, _AAL,
    0, () => AggregationAuthorization$
];
var BaseConfigurationItems = [1, n0, _BCIa,
    0, () => BaseConfigurationItem$
];
var ComplianceByConfigRules = [1, n0, _CBCRo,
    0, () => ComplianceByConfigRule$
];
var ComplianceByResources = [1, n0, _CBRo,
    0, () => ComplianceByResource$
];
var ComplianceSummariesByResourceType = [1, n0, _CSBRTo,
    0, () => ComplianceSummaryByResourceType$
];
var ConfigRuleEvaluationStatusList = [1, n0, _CRESL,
    0, () => ConfigRuleEvaluationStatus$
];
var ConfigRules = [1, n0, _CRon,
    0, () => ConfigRule$
];
var ConfigurationAggregatorList = [1, n0, _CAL,
    0, () => ConfigurationAggregator$
];
var ConfigurationItemList = [1, n0, _CIL,
    0, () => ConfigurationItem$
];
var ConfigurationRecorderFilterList = [1, n0, _CRFL,
    0, () => ConfigurationRecorderFilter$
];
var ConfigurationRecorderList = [1, n0, _CRL,
    0, () => ConfigurationRecorder$
];
var ConfigurationRecorderStatusList = [1, n0, _CRSL,
    0, () => ConfigurationRecorderStatus$
];
var ConfigurationRecorderSummaries = [1, n0, _CRSonfi,
    0, () => ConfigurationRecorderSummary$
];
var ConformancePackComplianceScores = [1, n0, _CPCSonf,
    0, () => ConformancePackComplianceScore$
];
var ConformancePackComplianceSummaryList = [1, n0, _CPCSL,
    0, () => ConformancePackComplianceSummary$
];
var ConformancePackDetailList = [1, n0, _CPDL,
    0, () => ConformancePackDetail$
];
var ConformancePackInputParameters = [1, n0, _CPIP,
    0, () => ConformancePackInputParameter$
];
var ConformancePackRuleComplianceList = [1, n0, _CPRCL,
    0, () => ConformancePackRuleCompliance$
];
var ConformancePackRuleEvaluationResultsList = [1, n0, _CPRERL,
    0, () => ConformancePackEvaluationResult$
];
var ConformancePackStatusDetailsList = [1, n0, _CPSDL,
    0, () => ConformancePackStatusDetail$
];
var ConnectorFilterList = [1, n0, _CFL,
    0, () => ConnectorFilter$
];
var ConnectorSummaries = [1, n0, _CSon,
    0, () => ConnectorSummary$
];
var DeliveryChannelList = [1, n0, _DCL,
    0, () => DeliveryChannel$
];
var DeliveryChannelStatusList = [1, n0, _DCSL,
    0, () => DeliveryChannelStatus$
];
var DiscoveredResourceIdentifierList = [1, n0, _DRIL,
    0, () => AggregateResourceIdentifier$
];
var EvaluationModes = [1, n0, _EM,
    0, () => EvaluationModeConfiguration$
];
var EvaluationResults = [1, n0, _ERv,
    0, () => EvaluationResult$
];
var Evaluations = [1, n0, _Ev,
    0, () => Evaluation$
];
var FailedDeleteRemediationExceptionsBatches = [1, n0, _FDREBa,
    0, () => FailedDeleteRemediationExceptionsBatch$
];
var FailedRemediationBatches = [1, n0, _FRBa,
    0, () => FailedRemediationBatch$
];
var FailedRemediationExceptionBatches = [1, n0, _FREBa,
    0, () => FailedRemediationExceptionBatch$
];
var FieldInfoList = [1, n0, _FIL,
    0, () => FieldInfo$
];
var GroupedResourceCountList = [1, n0, _GRCL,
    0, () => GroupedResourceCount$
];
var OrganizationConfigRuleDetailedStatus = [1, n0, _OCRDS,
    0, () => MemberAccountStatus$
];
var OrganizationConfigRules = [1, n0, _OCR,
    0, () => OrganizationConfigRule$
];
var OrganizationConfigRuleStatuses = [1, n0, _OCRS,
    0, () => OrganizationConfigRuleStatus$
];
var OrganizationConformancePackDetailedStatuses = [1, n0, _OCPDS,
    0, () => OrganizationConformancePackDetailedStatus$
];
var OrganizationConformancePacks = [1, n0, _OCP,
    0, () => OrganizationConformancePack$
];
var OrganizationConformancePackStatuses = [1, n0, _OCPS,
    0, () => OrganizationConformancePackStatus$
];
var PendingAggregationRequestList = [1, n0, _PARL,
    0, () => PendingAggregationRequest$
];
var RecordingModeOverrides = [1, n0, _RMOe,
    0, () => RecordingModeOverride$
];
var RelationshipList = [1, n0, _RL,
    0, () => Relationship$
];
var RemediationConfigurations = [1, n0, _RC,
    0, () => RemediationConfiguration$
];
var RemediationExceptionResourceKeys = [1, n0, _RERKe,
    0, () => RemediationExceptionResourceKey$
];
var RemediationExceptions = [1, n0, _RE,
    0, () => RemediationException$
];
var RemediationExecutionStatuses = [1, n0, _RES,
    0, () => RemediationExecutionStatus$
];
var RemediationExecutionSteps = [1, n0, _RESeme,
    0, () => RemediationExecutionStep$
];
var ResourceCounts = [1, n0, _RCesou,
    0, () => ResourceCount$
];
var ResourceEvaluations = [1, n0, _REe,
    0, () => ResourceEvaluation$
];
var ResourceIdentifierList = [1, n0, _RIL,
    0, () => ResourceIdentifier$
];
var ResourceIdentifiersList = [1, n0, _RILe,
    0, () => AggregateResourceIdentifier$
];
var ResourceKeys = [1, n0, _RK,
    0, () => ResourceKey$
];
var RetentionConfigurationList = [1, n0, _RCL,
    0, () => RetentionConfiguration$
];
var SourceDetails = [1, n0, _SDo,
    0, () => SourceDetail$
];
var StoredQueryMetadataList = [1, n0, _SQML,
    0, () => StoredQueryMetadata$
];
var TagList = [1, n0, _TL,
    0, () => Tag$
];
var TagsList = [1, n0, _TLa,
    0, () => Tag$
];
var UnprocessedResourceIdentifierList = [1, n0, _URIL,
    0, () => AggregateResourceIdentifier$
];
var RemediationParameters = [2, n0, _RP,
    0, 0, () => RemediationParameterValue$
];
var AssociateResourceTypes$ = [9, n0, _ART,
    0, () => AssociateResourceTypesRequest$, () => AssociateResourceTypesResponse$
];
var BatchGetAggregateResourceConfig$ = [9, n0, _BGARC,
    0, () => BatchGetAggregateResourceConfigRequest$, () => BatchGetAggregateResourceConfigResponse$
];
var BatchGetResourceConfig$ = [9, n0, _BGRC,
    0, () => BatchGetResourceConfigRequest$, () => BatchGetResourceConfigResponse$
];
var DeleteAggregationAuthorization$ = [9, n0, _DAA,
    0, () => DeleteAggregationAuthorizationRequest$, () => __Unit
];
var DeleteConfigRule$ = [9, n0, _DCRe,
    0, () => DeleteConfigRuleRequest$, () => __Unit
];
var DeleteConfigurationAggregator$ = [9, n0, _DCA,
    0, () => DeleteConfigurationAggregatorRequest$, () => __Unit
];
var DeleteConfigurationRecorder$ = [9, n0, _DCRel,
    0, () => DeleteConfigurationRecorderRequest$, () => __Unit
];
var DeleteConformancePack$ = [9, n0, _DCP,
    0, () => DeleteConformancePackRequest$, () => __Unit
];
var DeleteConnector$ = [9, n0, _DCel,
    0, () => DeleteConnectorRequest$, () => __Unit
];
var DeleteDeliveryChannel$ = [9, n0, _DDC,
    0, () => DeleteDeliveryChannelRequest$, () => __Unit
];
var DeleteEvaluationResults$ = [9, n0, _DER,
    0, () => DeleteEvaluationResultsRequest$, () => DeleteEvaluationResultsResponse$
];
var DeleteOrganizationConfigRule$ = [9, n0, _DOCR,
    0, () => DeleteOrganizationConfigRuleRequest$, () => __Unit
];
var DeleteOrganizationConformancePack$ = [9, n0, _DOCP,
    0, () => DeleteOrganizationConformancePackRequest$, () => __Unit
];
var DeletePendingAggregationRequest$ = [9, n0, _DPAR,
    0, () => DeletePendingAggregationRequestRequest$, () => __Unit
];
var DeleteRemediationConfiguration$ = [9, n0, _DRC,
    0, () => DeleteRemediationConfigurationRequest$, () => DeleteRemediationConfigurationResponse$
];
var DeleteRemediationExceptions$ = [9, n0, _DRE,
    0, () => DeleteRemediationExceptionsRequest$, () => DeleteRemediationExceptionsResponse$
];
var DeleteResourceConfig$ = [9, n0, _DRCe,
    0, () => DeleteResourceConfigRequest$, () => __Unit
];
var DeleteRetentionConfiguration$ = [9, n0, _DRCel,
    0, () => DeleteRetentionConfigurationRequest$, () => __Unit
];
var DeleteServiceLinkedConfigurationRecorder$ = [9, n0, _DSLCR,
    0, () => DeleteServiceLinkedConfigurationRecorderRequest$, () => DeleteServiceLinkedConfigurationRecorderResponse$
];
var DeleteStoredQuery$ = [9, n0, _DSQ,
    0, () => DeleteStoredQueryRequest$, () => DeleteStoredQueryResponse$
];
var DeliverConfigSnapshot$ = [9, n0, _DCSel,
    0, () => DeliverConfigSnapshotRequest$, () => DeliverConfigSnapshotResponse$
];
var DescribeAggregateComplianceByConfigRules$ = [9, n0, _DACBCR,
    0, () => DescribeAggregateComplianceByConfigRulesRequest$, () => DescribeAggregateComplianceByConfigRulesResponse$
];
var DescribeAggregateComplianceByConformancePacks$ = [9, n0, _DACBCP,
    0, () => DescribeAggregateComplianceByConformancePacksRequest$, () => DescribeAggregateComplianceByConformancePacksResponse$
];
var DescribeAggregationAuthorizations$ = [9, n0, _DAAe,
    0, () => DescribeAggregationAuthorizationsRequest$, () => DescribeAggregationAuthorizationsResponse$
];
var DescribeComplianceByConfigRule$ = [9, n0, _DCBCR,
    0, () => DescribeComplianceByConfigRuleRequest$, () => DescribeComplianceByConfigRuleResponse$
];
var DescribeComplianceByResource$ = [9, n0, _DCBR,
    0, () => DescribeComplianceByResourceRequest$, () => DescribeComplianceByResourceResponse$
];
var DescribeConfigRuleEvaluationStatus$ = [9, n0, _DCRES,
    0, () => DescribeConfigRuleEvaluationStatusRequest$, () => DescribeConfigRuleEvaluationStatusResponse$
];
var DescribeConfigRules$ = [9, n0, _DCRes,
    0, () => DescribeConfigRulesRequest$, () => DescribeConfigRulesResponse$
];
var DescribeConfigurationAggregators$ = [9, n0, _DCAe,
    0, () => DescribeConfigurationAggregatorsRequest$, () => DescribeConfigurationAggregatorsResponse$
];
var DescribeConfigurationAggregatorSourcesStatus$ = [9, n0, _DCASS,
    0, () => DescribeConfigurationAggregatorSourcesStatusRequest$, () => DescribeConfigurationAggregatorSourcesStatusResponse$
];
var DescribeConfigurationRecorders$ = [9, n0, _DCResc,
    0, () => DescribeConfigurationRecordersRequest$, () => DescribeConfigurationRecordersResponse$
];
var DescribeConfigurationRecorderStatus$ = [9, n0, _DCRS,
    0, () => DescribeConfigurationRecorderStatusRequest$, () => DescribeConfigurationRecorderStatusResponse$
];
var DescribeConformancePackCompliance$ = [9, n0, _DCPC,
    0, () => DescribeConformancePackComplianceRequest$, () => DescribeConformancePackComplianceResponse$
];
var DescribeConformancePacks$ = [9, n0, _DCPe,
    0, () => DescribeConformancePacksRequest$, () => DescribeConformancePacksResponse$
];
var DescribeConformancePackStatus$ = [9, n0, _DCPS,
    0, () => DescribeConformancePackStatusRequest$, () => DescribeConformancePackStatusResponse$
];
var DescribeDeliveryChannels$ = [9, n0, _DDCe,
    0, () => DescribeDeliveryChannelsRequest$, () => DescribeDeliveryChannelsResponse$
];
var DescribeDeliveryChannelStatus$ = [9, n0, _DDCS,
    0, () => DescribeDeliveryChannelStatusRequest$, () => DescribeDeliveryChannelStatusResponse$
];
var DescribeOrganizationConfigRules$ = [9, n0, _DOCRe,
    0, () => DescribeOrganizationConfigRulesRequest$, () => DescribeOrganizationConfigRulesResponse$
];
var DescribeOrganizationConfigRuleStatuses$ = [9, n0, _DOCRS,
    0, () => DescribeOrganizationConfigRuleStatusesRequest$, () => DescribeOrganizationConfigRuleStatusesResponse$
];
var DescribeOrganizationConformancePacks$ = [9, n0, _DOCPe,
    0, () => DescribeOrganizationConformancePacksRequest$, () => DescribeOrganizationConformancePacksResponse$
];
var DescribeOrganizationConformancePackStatuses$ = [9, n0, _DOCPS,
    0, () => DescribeOrganizationConformancePackStatusesRequest$, () => DescribeOrganizationConformancePackStatusesResponse$
];
var DescribePendingAggregationRequests$ = [9, n0, _DPARe,
    0, () => DescribePendingAggregationRequestsRequest$, () => DescribePendingAggregationRequestsResponse$
];
var DescribeRemediationConfigurations$ = [9, n0, _DRCes,
    0, () => DescribeRemediationConfigurationsRequest$, () => DescribeRemediationConfigurationsResponse$
];
var DescribeRemediationExceptions$ = [9, n0, _DREe,
    0, () => DescribeRemediationExceptionsRequest$, () => DescribeRemediationExceptionsResponse$
];
var DescribeRemediationExecutionStatus$ = [9, n0, _DRES,
    0, () => DescribeRemediationExecutionStatusRequest$, () => DescribeRemediationExecutionStatusResponse$
];
var DescribeRetentionConfigurations$ = [9, n0, _DRCesc,
    0, () => DescribeRetentionConfigurationsRequest$, () => DescribeRetentionConfigurationsResponse$
];
var DisassociateResourceTypes$ = [9, n0, _DRT,
    0, () => DisassociateResourceTypesRequest$, () => DisassociateResourceTypesResponse$
];
var GetAggregateComplianceDetailsByConfigRule$ = [9, n0, _GACDBCR,
    0, () => GetAggregateComplianceDetailsByConfigRuleRequest$, () => GetAggregateComplianceDetailsByConfigRuleResponse$
];
var GetAggregateConfigRuleComplianceSummary$ = [9, n0, _GACRCS,
    0, () => GetAggregateConfigRuleComplianceSummaryRequest$, () => GetAggregateConfigRuleComplianceSummaryResponse$
];
var GetAggregateConformancePackComplianceSummary$ = [9, n0, _GACPCS,
    0, () => GetAggregateConformancePackComplianceSummaryRequest$, () => GetAggregateConformancePackComplianceSummaryResponse$
];
var GetAggregateDiscoveredResourceCounts$ = [9, n0, _GADRC,
    0, () => GetAggregateDiscoveredResourceCountsRequest$, () => GetAggregateDiscoveredResourceCountsResponse$
];
var GetAggregateResourceConfig$ = [9, n0, _GARC,
    0, () => GetAggregateResourceConfigRequest$, () => GetAggregateResourceConfigResponse$
];
var GetComplianceDetailsByConfigRule$ = [9, n0, _GCDBCR,
    0, () => GetComplianceDetailsByConfigRuleRequest$, () => GetComplianceDetailsByConfigRuleResponse$
];
var GetComplianceDetailsByResource$ = [9, n0, _GCDBR,
    0, () => GetComplianceDetailsByResourceRequest$, () => GetComplianceDetailsByResourceResponse$
];
var GetComplianceSummaryByConfigRule$ = [9, n0, _GCSBCR,
    0, () => __Unit, () => GetComplianceSummaryByConfigRuleResponse$
];
var GetComplianceSummaryByResourceType$ = [9, n0, _GCSBRT,
    0, () => GetComplianceSummaryByResourceTypeRequest$, () => GetComplianceSummaryByResourceTypeResponse$
];
var GetConformancePackComplianceDetails$ = [9, n0, _GCPCD,
    0, () => GetConformancePackComplianceDetailsRequest$, () => GetConformancePackComplianceDetailsResponse$
];
var GetConformancePackComplianceSummary$ = [9, n0, _GCPCS,
    0, () => GetConformancePackComplianceSummaryRequest$, () => GetConformancePackComplianceSummaryResponse$
];
var GetConnector$ = [9, n0, _GC,
    0, () => GetConnectorRequest$, () => GetConnectorResponse$
];
var GetCustomRulePolicy$ = [9, n0, _GCRP,
    0, () => GetCustomRulePolicyRequest$, () => GetCustomRulePolicyResponse$
];
var GetDiscoveredResourceCounts$ = [9, n0, _GDRC,
    0, () => GetDiscoveredResourceCountsRequest$, () => GetDiscoveredResourceCountsResponse$
];
var GetOrganizationConfigRuleDetailedStatus$ = [9, n0, _GOCRDS,
    0, () => GetOrganizationConfigRuleDetailedStatusRequest$, () => GetOrganizationConfigRuleDetailedStatusResponse$
];
var GetOrganizationConformancePackDetailedStatus$ = [9, n0, _GOCPDS,
    0, () => GetOrganizationConformancePackDetailedStatusRequest$, () => GetOrganizationConformancePackDetailedStatusResponse$
];
var GetOrganizationCustomRulePolicy$ = [9, n0, _GOCRP,
    0, () => GetOrganizationCustomRulePolicyRequest$, () => GetOrganizationCustomRulePolicyResponse$
];
var GetResourceConfigHistory$ = [9, n0, _GRCH,
    0, () => GetResourceConfigHistoryRequest$, () => GetResourceConfigHistoryResponse$
];
var GetResourceEvaluationSummary$ = [9, n0, _GRES,
    0, () => GetResourceEvaluationSummaryRequest$, () => GetResourceEvaluationSummaryResponse$
];
var GetStoredQuery$ = [9, n0, _GSQ,
    0, () => GetStoredQueryRequest$, () => GetStoredQueryResponse$
];
var ListAggregateDiscoveredResources$ = [9, n0, _LADR,
    0, () => ListAggregateDiscoveredResourcesRequest$, () => ListAggregateDiscoveredResourcesResponse$
];
var ListConfigurationRecorders$ = [9, n0, _LCRis,
    0, () => ListConfigurationRecordersRequest$, () => ListConfigurationRecordersResponse$
];
var ListConformancePackComplianceScores$ = [9, n0, _LCPCS,
    0, () => ListConformancePackComplianceScoresRequest$, () => ListConformancePackComplianceScoresResponse$
];
var ListConnectors$ = [9, n0, _LC,
    0, () => ListConnectorsRequest$, () => ListConnectorsResponse$
];
var ListDiscoveredResources$ = [9, n0, _LDR,
    0, () => ListDiscoveredResourcesRequest$, () => ListDiscoveredResourcesResponse$
];
var ListResourceEvaluations$ = [9, n0, _LRE,
    0, () => ListResourceEvaluationsRequest$, () => ListResourceEvaluationsResponse$
];
var ListStoredQueries$ = [9, n0, _LSQ,
    0, () => ListStoredQueriesRequest$, () => ListStoredQueriesResponse$
];
var ListTagsForResource$ = [9, n0, _LTFR,
    0, () => ListTagsForResourceRequest$, () => ListTagsForResourceResponse$
];
var PutAggregationAuthorization$ = [9, n0, _PAA,
    0, () => PutAggregationAuthorizationRequest$, () => PutAggregationAuthorizationResponse$
];
var PutConfigRule$ = [9, n0, _PCRut,
    0, () => PutConfigRuleRequest$, () => __Unit
];
var PutConfigurationAggregator$ = [9, n0, _PCA,
    0, () => PutConfigurationAggregatorRequest$, () => PutConfigurationAggregatorResponse$
];
var PutConfigurationRecorder$ = [9, n0, _PCRuto,
    0, () => PutConfigurationRecorderRequest$, () => __Unit
];
var PutConformancePack$ = [9, n0, _PCP,
    0, () => PutConformancePackRequest$, () => PutConformancePackResponse$
];
var PutConnector$ = [9, n0, _PC,
    0, () => PutConnectorRequest$, () => PutConnectorResponse$
];
var PutDeliveryChannel$ = [9, n0, _PDC,
    0, () => PutDeliveryChannelRequest$, () => __Unit
];
var PutEvaluations$ = [9, n0, _PE,
    0, () => PutEvaluationsRequest$, () => PutEvaluationsResponse$
];
var PutExternalEvaluation$ = [9, n0, _PEE,
    0, () => PutExternalEvaluationRequest$, () => PutExternalEvaluationResponse$
];
var PutOrganizationConfigRule$ = [9, n0, _POCR,
    0, () => PutOrganizationConfigRuleRequest$, () => PutOrganizationConfigRuleResponse$
];
var PutOrganizationConformancePack$ = [9, n0, _POCP,
    0, () => PutOrganizationConformancePackRequest$, () => PutOrganizationConformancePackResponse$
];
var PutRemediationConfigurations$ = [9, n0, _PRC,
    0, () => PutRemediationConfigurationsRequest$, () => PutRemediationConfigurationsResponse$
];
var PutRemediationExceptions$ = [9, n0, _PRE,
    0, () => PutRemediationExceptionsRequest$, () => PutRemediationExceptionsResponse$
];
var PutResourceConfig$ = [9, n0, _PRCu,
    0, () => PutResourceConfigRequest$, () => __Unit
];
var PutRetentionConfiguration$ = [9, n0, _PRCut,
    0, () => PutRetentionConfigurationRequest$, () => PutRetentionConfigurationResponse$
];
var PutServiceLinkedConfigurationRecorder$ = [9, n0, _PSLCR,
    0, () => PutServiceLinkedConfigurationRecorderRequest$, () => PutServiceLinkedConfigurationRecorderResponse$
];
var PutStoredQuery$ = [9, n0, _PSQ,
    0, () => PutStoredQueryRequest$, () => PutStoredQueryResponse$
];
var PutThirdPartyServiceLinkedConfigurationRecorder$ = [9, n0, _PTPSLCR,
    0, () => PutThirdPartyServiceLinkedConfigurationRecorderRequest$, () => PutThirdPartyServiceLinkedConfigurationRecorderResponse$
];
var SelectAggregateResourceConfig$ = [9, n0, _SARC,
    0, () => SelectAggregateResourceConfigRequest$, () => SelectAggregateResourceConfigResponse$
];
var SelectResourceConfig$ = [9, n0, _SRC,
    0, () => SelectResourceConfigRequest$, () => SelectResourceConfigResponse$
];
var StartConfigRulesEvaluation$ = [9, n0, _SCRE,
    0, () => StartConfigRulesEvaluationRequest$, () => StartConfigRulesEvaluationResponse$
];
var StartConfigurationRecorder$ = [9, n0, _SCR,
    0, () => StartConfigurationRecorderRequest$, () => __Unit
];
var StartRemediationExecution$ = [9, n0, _SRE,
    0, () => StartRemediationExecutionRequest$, () => StartRemediationExecutionResponse$
];
var StartResourceEvaluation$ = [9, n0, _SREt,
    0, () => StartResourceEvaluationRequest$, () => StartResourceEvaluationResponse$
];
var StopConfigurationRecorder$ = [9, n0, _SCRt,
    0, () => StopConfigurationRecorderRequest$, () => __Unit
];
var TagResource$ = [9, n0, _TR,
    0, () => TagResourceRequest$, () => __Unit
];
var UntagResource$ = [9, n0, _UR,
    0, () => UntagResourceRequest$, () => __Unit
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2014-11-12",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultConfigServiceHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsJson1_1Protocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.configservice",
            errorTypeRegistries,
            xmlNamespace: "http://config.amazonaws.com/doc/2014-11-12/",
            version: "2014-11-12",
            serviceTarget: "StarlingDoveService",
        },
        serviceId: config?.serviceId ?? "Config Service",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class ConfigServiceClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultConfigServiceHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "StarlingDoveService", "ConfigServiceClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class AssociateResourceTypesCommand extends command(_ep0, _mw0, "AssociateResourceTypes", AssociateResourceTypes$) {
}

class BatchGetAggregateResourceConfigCommand extends command(_ep0, _mw0, "BatchGetAggregateResourceConfig", BatchGetAggregateResourceConfig$) {
}

class BatchGetResourceConfigCommand extends command(_ep0, _mw0, "BatchGetResourceConfig", BatchGetResourceConfig$) {
}

class DeleteAggregationAuthorizationCommand extends command(_ep0, _mw0, "DeleteAggregationAuthorization", DeleteAggregationAuthorization$) {
}

class DeleteConfigRuleCommand extends command(_ep0, _mw0, "DeleteConfigRule", DeleteConfigRule$) {
}

class DeleteConfigurationAggregatorCommand extends command(_ep0, _mw0, "DeleteConfigurationAggregator", DeleteConfigurationAggregator$) {
}

class DeleteConfigurationRecorderCommand extends command(_ep0, _mw0, "DeleteConfigurationRecorder", DeleteConfigurationRecorder$) {
}

class DeleteConformancePackCommand extends command(_ep0, _mw0, "DeleteConformancePack", DeleteConformancePack$) {
}

class DeleteConnectorCommand extends command(_ep0, _mw0, "DeleteConnector", DeleteConnector$) {
}

class DeleteDeliveryChannelCommand extends command(_ep0, _mw0, "DeleteDeliveryChannel", DeleteDeliveryChannel$) {
}

class DeleteEvaluationResultsCommand extends command(_ep0, _mw0, "DeleteEvaluationResults", DeleteEvaluationResults$) {
}

class DeleteOrganizationConfigRuleCommand extends command(_ep0, _mw0, "DeleteOrganizationConfigRule", DeleteOrganizationConfigRule$) {
}

class DeleteOrganizationConformancePackCommand extends command(_ep0, _mw0, "DeleteOrganizationConformancePack", DeleteOrganizationConformancePack$) {
}

class DeletePendingAggregationRequestCommand extends command(_ep0, _mw0, "DeletePendingAggregationRequest", DeletePendingAggregationRequest$) {
}

class DeleteRemediationConfigurationCommand extends command(_ep0, _mw0, "DeleteRemediationConfiguration", DeleteRemediationConfiguration$) {
}

class DeleteRemediationExceptionsCommand extends command(_ep0, _mw0, "DeleteRemediationExceptions", DeleteRemediationExceptions$) {
}

class DeleteResourceConfigCommand extends command(_ep0, _mw0, "DeleteResourceConfig", DeleteResourceConfig$) {
}

class DeleteRetentionConfigurationCommand extends command(_ep0, _mw0, "DeleteRetentionConfiguration", DeleteRetentionConfiguration$) {
}

class DeleteServiceLinkedConfigurationRecorderCommand extends command(_ep0, _mw0, "DeleteServiceLinkedConfigurationRecorder", DeleteServiceLinkedConfigurationRecorder$) {
}

class DeleteStoredQueryCommand extends command(_ep0, _mw0, "DeleteStoredQuery", DeleteStoredQuery$) {
}

class DeliverConfigSnapshotCommand extends command(_ep0, _mw0, "DeliverConfigSnapshot", DeliverConfigSnapshot$) {
}

class DescribeAggregateComplianceByConfigRulesCommand extends command(_ep0, _mw0, "DescribeAggregateComplianceByConfigRules", DescribeAggregateComplianceByConfigRules$) {
}

class DescribeAggregateComplianceByConformancePacksCommand extends command(_ep0, _mw0, "DescribeAggregateComplianceByConformancePacks", DescribeAggregateComplianceByConformancePacks$) {
}

class DescribeAggregationAuthorizationsCommand extends command(_ep0, _mw0, "DescribeAggregationAuthorizations", DescribeAggregationAuthorizations$) {
}

class DescribeComplianceByConfigRuleCommand extends command(_ep0, _mw0, "DescribeComplianceByConfigRule", DescribeComplianceByConfigRule$) {
}

class DescribeComplianceByResourceCommand extends command(_ep0, _mw0, "DescribeComplianceByResource", DescribeComplianceByResource$) {
}

class DescribeConfigRuleEvaluationStatusCommand extends command(_ep0, _mw0, "DescribeConfigRuleEvaluationStatus", DescribeConfigRuleEvaluationStatus$) {
}

class DescribeConfigRulesCommand extends command(_ep0, _mw0, "DescribeConfigRules", DescribeConfigRules$) {
}

class DescribeConfigurationAggregatorsCommand extends command(_ep0, _mw0, "DescribeConfigurationAggregators", DescribeConfigurationAggregators$) {
}

class DescribeConfigurationAggregatorSourcesStatusCommand extends command(_ep0, _mw0, "DescribeConfigurationAggregatorSourcesStatus", DescribeConfigurationAggregatorSourcesStatus$) {
}

class DescribeConfigurationRecordersCommand extends command(_ep0, _mw0, "DescribeConfigurationRecorders", DescribeConfigurationRecorders$) {
}

class DescribeConfigurationRecorderStatusCommand extends command(_ep0, _mw0, "DescribeConfigurationRecorderStatus", DescribeConfigurationRecorderStatus$) {
}

class DescribeConformancePackComplianceCommand extends command(_ep0, _mw0, "DescribeConformancePackCompliance", DescribeConformancePackCompliance$) {
}

class DescribeConformancePacksCommand extends command(_ep0, _mw0, "DescribeConformancePacks", DescribeConformancePacks$) {
}

class DescribeConformancePackStatusCommand extends command(_ep0, _mw0, "DescribeConformancePackStatus", DescribeConformancePackStatus$) {
}

class DescribeDeliveryChannelsCommand extends command(_ep0, _mw0, "DescribeDeliveryChannels", DescribeDeliveryChannels$) {
}

class DescribeDeliveryChannelStatusCommand extends command(_ep0, _mw0, "DescribeDeliveryChannelStatus", DescribeDeliveryChannelStatus$) {
}

class DescribeOrganizationConfigRulesCommand extends command(_ep0, _mw0, "DescribeOrganizationConfigRules", DescribeOrganizationConfigRules$) {
}

class DescribeOrganizationConfigRuleStatusesCommand extends command(_ep0, _mw0, "DescribeOrganizationConfigRuleStatuses", DescribeOrganizationConfigRuleStatuses$) {
}

class DescribeOrganizationConformancePacksCommand extends command(_ep0, _mw0, "DescribeOrganizationConformancePacks", DescribeOrganizationConformancePacks$) {
}

class DescribeOrganizationConformancePackStatusesCommand extends command(_ep0, _mw0, "DescribeOrganizationConformancePackStatuses", DescribeOrganizationConformancePackStatuses$) {
}

class DescribePendingAggregationRequestsCommand extends command(_ep0, _mw0, "DescribePendingAggregationRequests", DescribePendingAggregationRequests$) {
}

class DescribeRemediationConfigurationsCommand extends command(_ep0, _mw0, "DescribeRemediationConfigurations", DescribeRemediationConfigurations$) {
}

class DescribeRemediationExceptionsCommand extends command(_ep0, _mw0, "DescribeRemediationExceptions", DescribeRemediationExceptions$) {
}

class DescribeRemediationExecutionStatusCommand extends command(_ep0, _mw0, "DescribeRemediationExecutionStatus", DescribeRemediationExecutionStatus$) {
}

class DescribeRetentionConfigurationsCommand extends command(_ep0, _mw0, "DescribeRetentionConfigurations", DescribeRetentionConfigurations$) {
}

class DisassociateResourceTypesCommand extends command(_ep0, _mw0, "DisassociateResourceTypes", DisassociateResourceTypes$) {
}

class GetAggregateComplianceDetailsByConfigRuleCommand extends command(_ep0, _mw0, "GetAggregateComplianceDetailsByConfigRule", GetAggregateComplianceDetailsByConfigRule$) {
}

class GetAggregateConfigRuleComplianceSummaryCommand extends command(_ep0, _mw0, "GetAggregateConfigRuleComplianceSummary", GetAggregateConfigRuleComplianceSummary$) {
}

class GetAggregateConformancePackComplianceSummaryCommand extends command(_ep0, _mw0, "GetAggregateConformancePackComplianceSummary", GetAggregateConformancePackComplianceSummary$) {
}

class GetAggregateDiscoveredResourceCountsCommand extends command(_ep0, _mw0, "GetAggregateDiscoveredResourceCounts", GetAggregateDiscoveredResourceCounts$) {
}

class GetAggregateResourceConfigCommand extends command(_ep0, _mw0, "GetAggregateResourceConfig", GetAggregateResourceConfig$) {
}

class GetComplianceDetailsByConfigRuleCommand extends command(_ep0, _mw0, "GetComplianceDetailsByConfigRule", GetComplianceDetailsByConfigRule$) {
}

class GetComplianceDetailsByResourceCommand extends command(_ep0, _mw0, "GetComplianceDetailsByResource", GetComplianceDetailsByResource$) {
}

class GetComplianceSummaryByConfigRuleCommand extends command(_ep0, _mw0, "GetComplianceSummaryByConfigRule", GetComplianceSummaryByConfigRule$) {
}

class GetComplianceSummaryByResourceTypeCommand extends command(_ep0, _mw0, "GetComplianceSummaryByResourceType", GetComplianceSummaryByResourceType$) {
}

class GetConformancePackComplianceDetailsCommand extends command(_ep0, _mw0, "GetConformancePackComplianceDetails", GetConformancePackComplianceDetails$) {
}

class GetConformancePackComplianceSummaryCommand extends command(_ep0, _mw0, "GetConformancePackComplianceSummary", GetConformancePackComplianceSummary$) {
}

class GetConnectorCommand extends command(_ep0, _mw0, "GetConnector", GetConnector$) {
}

class GetCustomRulePolicyCommand extends command(_ep0, _mw0, "GetCustomRulePolicy", GetCustomRulePolicy$) {
}

class GetDiscoveredResourceCountsCommand extends command(_ep0, _mw0, "GetDiscoveredResourceCounts", GetDiscoveredResourceCounts$) {
}

class GetOrganizationConfigRuleDetailedStatusCommand extends command(_ep0, _mw0, "GetOrganizationConfigRuleDetailedStatus", GetOrganizationConfigRuleDetailedStatus$) {
}

class GetOrganizationConformancePackDetailedStatusCommand extends command(_ep0, _mw0, "GetOrganizationConformancePackDetailedStatus", GetOrganizationConformancePackDetailedStatus$) {
}

class GetOrganizationCustomRulePolicyCommand extends command(_ep0, _mw0, "GetOrganizationCustomRulePolicy", GetOrganizationCustomRulePolicy$) {
}

class GetResourceConfigHistoryCommand extends command(_ep0, _mw0, "GetResourceConfigHistory", GetResourceConfigHistory$) {
}

class GetResourceEvaluationSummaryCommand extends command(_ep0, _mw0, "GetResourceEvaluationSummary", GetResourceEvaluationSummary$) {
}

class GetStoredQueryCommand extends command(_ep0, _mw0, "GetStoredQuery", GetStoredQuery$) {
}

class ListAggregateDiscoveredResourcesCommand extends command(_ep0, _mw0, "ListAggregateDiscoveredResources", ListAggregateDiscoveredResources$) {
}

class ListConfigurationRecordersCommand extends command(_ep0, _mw0, "ListConfigurationRecorders", ListConfigurationRecorders$) {
}

class ListConformancePackComplianceScoresCommand extends command(_ep0, _mw0, "ListConformancePackComplianceScores", ListConformancePackComplianceScores$) {
}

class ListConnectorsCommand extends command(_ep0, _mw0, "ListConnectors", ListConnectors$) {
}

class ListDiscoveredResourcesCommand extends command(_ep0, _mw0, "ListDiscoveredResources", ListDiscoveredResources$) {
}

class ListResourceEvaluationsCommand extends command(_ep0, _mw0, "ListResourceEvaluations", ListResourceEvaluations$) {
}

class ListStoredQueriesCommand extends command(_ep0, _mw0, "ListStoredQueries", ListStoredQueries$) {
}

class ListTagsForResourceCommand extends command(_ep0, _mw0, "ListTagsForResource", ListTagsForResource$) {
}

class PutAggregationAuthorizationCommand extends command(_ep0, _mw0, "PutAggregationAuthorization", PutAggregationAuthorization$) {
}

class PutConfigRuleCommand extends command(_ep0, _mw0, "PutConfigRule", PutConfigRule$) {
}

class PutConfigurationAggregatorCommand extends command(_ep0, _mw0, "PutConfigurationAggregator", PutConfigurationAggregator$) {
}

class PutConfigurationRecorderCommand extends command(_ep0, _mw0, "PutConfigurationRecorder", PutConfigurationRecorder$) {
}

class PutConformancePackCommand extends command(_ep0, _mw0, "PutConformancePack", PutConformancePack$) {
}

class PutConnectorCommand extends command(_ep0, _mw0, "PutConnector", PutConnector$) {
}

class PutDeliveryChannelCommand extends command(_ep0, _mw0, "PutDeliveryChannel", PutDeliveryChannel$) {
}

class PutEvaluationsCommand extends command(_ep0, _mw0, "PutEvaluations", PutEvaluations$) {
}

class PutExternalEvaluationCommand extends command(_ep0, _mw0, "PutExternalEvaluation", PutExternalEvaluation$) {
}

class PutOrganizationConfigRuleCommand extends command(_ep0, _mw0, "PutOrganizationConfigRule", PutOrganizationConfigRule$) {
}

class PutOrganizationConformancePackCommand extends command(_ep0, _mw0, "PutOrganizationConformancePack", PutOrganizationConformancePack$) {
}

class PutRemediationConfigurationsCommand extends command(_ep0, _mw0, "PutRemediationConfigurations", PutRemediationConfigurations$) {
}

class PutRemediationExceptionsCommand extends command(_ep0, _mw0, "PutRemediationExceptions", PutRemediationExceptions$) {
}

class PutResourceConfigCommand extends command(_ep0, _mw0, "PutResourceConfig", PutResourceConfig$) {
}

class PutRetentionConfigurationCommand extends command(_ep0, _mw0, "PutRetentionConfiguration", PutRetentionConfiguration$) {
}

class PutServiceLinkedConfigurationRecorderCommand extends command(_ep0, _mw0, "PutServiceLinkedConfigurationRecorder", PutServiceLinkedConfigurationRecorder$) {
}

class PutStoredQueryCommand extends command(_ep0, _mw0, "PutStoredQuery", PutStoredQuery$) {
}

class PutThirdPartyServiceLinkedConfigurationRecorderCommand extends command(_ep0, _mw0, "PutThirdPartyServiceLinkedConfigurationRecorder", PutThirdPartyServiceLinkedConfigurationRecorder$) {
}

class SelectAggregateResourceConfigCommand extends command(_ep0, _mw0, "SelectAggregateResourceConfig", SelectAggregateResourceConfig$) {
}

class SelectResourceConfigCommand extends command(_ep0, _mw0, "SelectResourceConfig", SelectResourceConfig$) {
}

class StartConfigRulesEvaluationCommand extends command(_ep0, _mw0, "StartConfigRulesEvaluation", StartConfigRulesEvaluation$) {
}

class StartConfigurationRecorderCommand extends command(_ep0, _mw0, "StartConfigurationRecorder", StartConfigurationRecorder$) {
}

class StartRemediationExecutionCommand extends command(_ep0, _mw0, "StartRemediationExecution", StartRemediationExecution$) {
}

class StartResourceEvaluationCommand extends command(_ep0, _mw0, "StartResourceEvaluation", StartResourceEvaluation$) {
}

class StopConfigurationRecorderCommand extends command(_ep0, _mw0, "StopConfigurationRecorder", StopConfigurationRecorder$) {
}

class TagResourceCommand extends command(_ep0, _mw0, "TagResource", TagResource$) {
}

class UntagResourceCommand extends command(_ep0, _mw0, "UntagResource", UntagResource$) {
}

const paginateDescribeAggregateComplianceByConfigRules = createPaginator(ConfigServiceClient, DescribeAggregateComplianceByConfigRulesCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeAggregateComplianceByConformancePacks = createPaginator(ConfigServiceClient, DescribeAggregateComplianceByConformancePacksCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeAggregationAuthorizations = createPaginator(ConfigServiceClient, DescribeAggregationAuthorizationsCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeComplianceByConfigRule = createPaginator(ConfigServiceClient, DescribeComplianceByConfigRuleCommand, "NextToken", "NextToken", "");

const paginateDescribeComplianceByResource = createPaginator(ConfigServiceClient, DescribeComplianceByResourceCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConfigRuleEvaluationStatus = createPaginator(ConfigServiceClient, DescribeConfigRuleEvaluationStatusCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConfigRules = createPaginator(ConfigServiceClient, DescribeConfigRulesCommand, "NextToken", "NextToken", "");

const paginateDescribeConfigurationAggregatorSourcesStatus = createPaginator(ConfigServiceClient, DescribeConfigurationAggregatorSourcesStatusCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConfigurationAggregators = createPaginator(ConfigServiceClient, DescribeConfigurationAggregatorsCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConformancePackCompliance = createPaginator(ConfigServiceClient, DescribeConformancePackComplianceCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConformancePacks = createPaginator(ConfigServiceClient, DescribeConformancePacksCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeConformancePackStatus = createPaginator(ConfigServiceClient, DescribeConformancePackStatusCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeOrganizationConfigRules = createPaginator(ConfigServiceClient, DescribeOrganizationConfigRulesCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeOrganizationConfigRuleStatuses = createPaginator(ConfigServiceClient, DescribeOrganizationConfigRuleStatusesCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeOrganizationConformancePacks = createPaginator(ConfigServiceClient, DescribeOrganizationConformancePacksCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeOrganizationConformancePackStatuses = createPaginator(ConfigServiceClient, DescribeOrganizationConformancePackStatusesCommand, "NextToken", "NextToken", "Limit");

const paginateDescribePendingAggregationRequests = createPaginator(ConfigServiceClient, DescribePendingAggregationRequestsCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeRemediationExceptions = createPaginator(ConfigServiceClient, DescribeRemediationExceptionsCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeRemediationExecutionStatus = createPaginator(ConfigServiceClient, DescribeRemediationExecutionStatusCommand, "NextToken", "NextToken", "Limit");

const paginateDescribeRetentionConfigurations = createPaginator(ConfigServiceClient, DescribeRetentionConfigurationsCommand, "NextToken", "NextToken", "");

const paginateGetAggregateComplianceDetailsByConfigRule = createPaginator(ConfigServiceClient, GetAggregateComplianceDetailsByConfigRuleCommand, "NextToken", "NextToken", "Limit");

const paginateGetAggregateConfigRuleComplianceSummary = createPaginator(ConfigServiceClient, GetAggregateConfigRuleComplianceSummaryCommand, "NextToken", "NextToken", "Limit");

const paginateGetAggregateConformancePackComplianceSummary = createPaginator(ConfigServiceClient, GetAggregateConformancePackComplianceSummaryCommand, "NextToken", "NextToken", "Limit");

const paginateGetAggregateDiscoveredResourceCounts = createPaginator(ConfigServiceClient, GetAggregateDiscoveredResourceCountsCommand, "NextToken", "NextToken", "Limit");

const paginateGetComplianceDetailsByConfigRule = createPaginator(ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, "NextToken", "NextToken", "Limit");

const paginateGetComplianceDetailsByResource = createPaginator(ConfigServiceClient, GetComplianceDetailsByResourceCommand, "NextToken", "NextToken", "");

const paginateGetConformancePackComplianceDetails = createPaginator(ConfigServiceClient, GetConformancePackComplianceDetailsCommand, "NextToken", "NextToken", "Limit");

const paginateGetConformancePackComplianceSummary = createPaginator(ConfigServiceClient, GetConformancePackComplianceSummaryCommand, "NextToken", "NextToken", "Limit");

const paginateGetDiscoveredResourceCounts = createPaginator(ConfigServiceClient, GetDiscoveredResourceCountsCommand, "nextToken", "nextToken", "limit");

const paginateGetOrganizationConfigRuleDetailedStatus = createPaginator(ConfigServiceClient, GetOrganizationConfigRuleDetailedStatusCommand, "NextToken", "NextToken", "Limit");

const paginateGetOrganizationConformancePackDetailedStatus = createPaginator(ConfigServiceClient, GetOrganizationConformancePackDetailedStatusCommand, "NextToken", "NextToken", "Limit");

const paginateGetResourceConfigHistory = createPaginator(ConfigServiceClient, GetResourceConfigHistoryCommand, "nextToken", "nextToken", "limit");

const paginateListAggregateDiscoveredResources = createPaginator(ConfigServiceClient, ListAggregateDiscoveredResourcesCommand, "NextToken", "NextToken", "Limit");

const paginateListConfigurationRecorders = createPaginator(ConfigServiceClient, ListConfigurationRecordersCommand, "NextToken", "NextToken", "MaxResults");

const paginateListConformancePackComplianceScores = createPaginator(ConfigServiceClient, ListConformancePackComplianceScoresCommand, "NextToken", "NextToken", "Limit");

const paginateListConnectors = createPaginator(ConfigServiceClient, ListConnectorsCommand, "NextToken", "NextToken", "MaxResults");

const paginateListDiscoveredResources = createPaginator(ConfigServiceClient, ListDiscoveredResourcesCommand, "nextToken", "nextToken", "limit");

const paginateListResourceEvaluations = createPaginator(ConfigServiceClient, ListResourceEvaluationsCommand, "NextToken", "NextToken", "Limit");

const paginateListStoredQueries = createPaginator(ConfigServiceClient, ListStoredQueriesCommand, "NextToken", "NextToken", "MaxResults");

const paginateListTagsForResource = createPaginator(ConfigServiceClient, ListTagsForResourceCommand, "NextToken", "NextToken", "Limit");

const paginateSelectAggregateResourceConfig = createPaginator(ConfigServiceClient, SelectAggregateResourceConfigCommand, "NextToken", "NextToken", "Limit");

const paginateSelectResourceConfig = createPaginator(ConfigServiceClient, SelectResourceConfigCommand, "NextToken", "NextToken", "Limit");

const commands = {
    AssociateResourceTypesCommand,
    BatchGetAggregateResourceConfigCommand,
    BatchGetResourceConfigCommand,
    DeleteAggregationAuthorizationCommand,
    DeleteConfigRuleCommand,
    DeleteConfigurationAggregatorCommand,
    DeleteConfigurationRecorderCommand,
    DeleteConformancePackCommand,
    DeleteConnectorCommand,
    DeleteDeliveryChannelCommand,
    DeleteEvaluationResultsCommand,
    DeleteOrganizationConfigRuleCommand,
    DeleteOrganizationConformancePackCommand,
    DeletePendingAggregationRequestCommand,
    DeleteRemediationConfigurationCommand,
    DeleteRemediationExceptionsCommand,
    DeleteResourceConfigCommand,
    DeleteRetentionConfigurationCommand,
    DeleteServiceLinkedConfigurationRecorderCommand,
    DeleteStoredQueryCommand,
    DeliverConfigSnapshotCommand,
    DescribeAggregateComplianceByConfigRulesCommand,
    DescribeAggregateComplianceByConformancePacksCommand,
    DescribeAggregationAuthorizationsCommand,
    DescribeComplianceByConfigRuleCommand,
    DescribeComplianceByResourceCommand,
    DescribeConfigRuleEvaluationStatusCommand,
    DescribeConfigRulesCommand,
    DescribeConfigurationAggregatorsCommand,
    DescribeConfigurationAggregatorSourcesStatusCommand,
    DescribeConfigurationRecordersCommand,
    DescribeConfigurationRecorderStatusCommand,
    DescribeConformancePackComplianceCommand,
    DescribeConformancePacksCommand,
    DescribeConformancePackStatusCommand,
    DescribeDeliveryChannelsCommand,
    DescribeDeliveryChannelStatusCommand,
    DescribeOrganizationConfigRulesCommand,
    DescribeOrganizationConfigRuleStatusesCommand,
    DescribeOrganizationConformancePacksCommand,
    DescribeOrganizationConformancePackStatusesCommand,
    DescribePendingAggregationRequestsCommand,
    DescribeRemediationConfigurationsCommand,
    DescribeRemediationExceptionsCommand,
    DescribeRemediationExecutionStatusCommand,
    DescribeRetentionConfigurationsCommand,
    DisassociateResourceTypesCommand,
    GetAggregateComplianceDetailsByConfigRuleCommand,
    GetAggregateConfigRuleComplianceSummaryCommand,
    GetAggregateConformancePackComplianceSummaryCommand,
    GetAggregateDiscoveredResourceCountsCommand,
    GetAggregateResourceConfigCommand,
    GetComplianceDetailsByConfigRuleCommand,
    GetComplianceDetailsByResourceCommand,
    GetComplianceSummaryByConfigRuleCommand,
    GetComplianceSummaryByResourceTypeCommand,
    GetConformancePackComplianceDetailsCommand,
    GetConformancePackComplianceSummaryCommand,
    GetConnectorCommand,
    GetCustomRulePolicyCommand,
    GetDiscoveredResourceCountsCommand,
    GetOrganizationConfigRuleDetailedStatusCommand,
    GetOrganizationConformancePackDetailedStatusCommand,
    GetOrganizationCustomRulePolicyCommand,
    GetResourceConfigHistoryCommand,
    GetResourceEvaluationSummaryCommand,
    GetStoredQueryCommand,
    ListAggregateDiscoveredResourcesCommand,
    ListConfigurationRecordersCommand,
    ListConformancePackComplianceScoresCommand,
    ListConnectorsCommand,
    ListDiscoveredResourcesCommand,
    ListResourceEvaluationsCommand,
    ListStoredQueriesCommand,
    ListTagsForResourceCommand,
    PutAggregationAuthorizationCommand,
    PutConfigRuleCommand,
    PutConfigurationAggregatorCommand,
    PutConfigurationRecorderCommand,
    PutConformancePackCommand,
    PutConnectorCommand,
    PutDeliveryChannelCommand,
    PutEvaluationsCommand,
    PutExternalEvaluationCommand,
    PutOrganizationConfigRuleCommand,
    PutOrganizationConformancePackCommand,
    PutRemediationConfigurationsCommand,
    PutRemediationExceptionsCommand,
    PutResourceConfigCommand,
    PutRetentionConfigurationCommand,
    PutServiceLinkedConfigurationRecorderCommand,
    PutStoredQueryCommand,
    PutThirdPartyServiceLinkedConfigurationRecorderCommand,
    SelectAggregateResourceConfigCommand,
    SelectResourceConfigCommand,
    StartConfigRulesEvaluationCommand,
    StartConfigurationRecorderCommand,
    StartRemediationExecutionCommand,
    StartResourceEvaluationCommand,
    StopConfigurationRecorderCommand,
    TagResourceCommand,
    UntagResourceCommand,
};
const paginators = {
    paginateDescribeAggregateComplianceByConfigRules,
    paginateDescribeAggregateComplianceByConformancePacks,
    paginateDescribeAggregationAuthorizations,
    paginateDescribeComplianceByConfigRule,
    paginateDescribeComplianceByResource,
    paginateDescribeConfigRuleEvaluationStatus,
    paginateDescribeConfigRules,
    paginateDescribeConfigurationAggregators,
    paginateDescribeConfigurationAggregatorSourcesStatus,
    paginateDescribeConformancePackCompliance,
    paginateDescribeConformancePacks,
    paginateDescribeConformancePackStatus,
    paginateDescribeOrganizationConfigRules,
    paginateDescribeOrganizationConfigRuleStatuses,
    paginateDescribeOrganizationConformancePacks,
    paginateDescribeOrganizationConformancePackStatuses,
    paginateDescribePendingAggregationRequests,
    paginateDescribeRemediationExceptions,
    paginateDescribeRemediationExecutionStatus,
    paginateDescribeRetentionConfigurations,
    paginateGetAggregateComplianceDetailsByConfigRule,
    paginateGetAggregateConfigRuleComplianceSummary,
    paginateGetAggregateConformancePackComplianceSummary,
    paginateGetAggregateDiscoveredResourceCounts,
    paginateGetComplianceDetailsByConfigRule,
    paginateGetComplianceDetailsByResource,
    paginateGetConformancePackComplianceDetails,
    paginateGetConformancePackComplianceSummary,
    paginateGetDiscoveredResourceCounts,
    paginateGetOrganizationConfigRuleDetailedStatus,
    paginateGetOrganizationConformancePackDetailedStatus,
    paginateGetResourceConfigHistory,
    paginateListAggregateDiscoveredResources,
    paginateListConfigurationRecorders,
    paginateListConformancePackComplianceScores,
    paginateListConnectors,
    paginateListDiscoveredResources,
    paginateListResourceEvaluations,
    paginateListStoredQueries,
    paginateListTagsForResource,
    paginateSelectAggregateResourceConfig,
    paginateSelectResourceConfig,
};
class ConfigService extends ConfigServiceClient {
}
createAggregatedClient(commands, ConfigService, { paginators });

const ComplianceType = {
    Compliant: "COMPLIANT",
    Insufficient_Data: "INSUFFICIENT_DATA",
    Non_Compliant: "NON_COMPLIANT",
    Not_Applicable: "NOT_APPLICABLE",
};
const ConformancePackComplianceType = {
    COMPLIANT: "COMPLIANT",
    INSUFFICIENT_DATA: "INSUFFICIENT_DATA",
    NON_COMPLIANT: "NON_COMPLIANT",
};
const AggregateConformancePackComplianceSummaryGroupKey = {
    ACCOUNT_ID: "ACCOUNT_ID",
    AWS_REGION: "AWS_REGION",
};
const AggregatedSourceStatusType = {
    FAILED: "FAILED",
    OUTDATED: "OUTDATED",
    SUCCEEDED: "SUCCEEDED",
};
const AggregatedSourceType = {
    ACCOUNT: "ACCOUNT",
    ORGANIZATION: "ORGANIZATION",
};
const EvaluationMode = {
    DETECTIVE: "DETECTIVE",
    PROACTIVE: "PROACTIVE",
};
const ResourceType = {
    ACMPCACertificateAuthority: "AWS::ACMPCA::CertificateAuthority",
    ACMPCACertificateAuthorityActivation: "AWS::ACMPCA::CertificateAuthorityActivation",
    APSRuleGroupsNamespace: "AWS::APS::RuleGroupsNamespace",
    AccessAnalyzerAnalyzer: "AWS::AccessAnalyzer::Analyzer",
    AccountPublicAccessBlock: "AWS::S3::AccountPublicAccessBlock",
    Alarm: "AWS::CloudWatch::Alarm",
    AmazonMQBroker: "AWS::AmazonMQ::Broker",
    AmplifyApp: "AWS::Amplify::App",
    AmplifyBranch: "AWS::Amplify::Branch",
    Api: "AWS::ApiGatewayV2::Api",
    ApiGatewayMethod: "AWS::ApiGateway::Method",
    ApiGatewayUsagePlan: "AWS::ApiGateway::UsagePlan",
    ApiGatewayV2Integration: "AWS::ApiGatewayV2::Integration",
    AppConfigApplication: "AWS::AppConfig::Application",
    AppConfigConfigurationProfile: "AWS::AppConfig::ConfigurationProfile",
    AppConfigDeploymentStrategy: "AWS::AppConfig::DeploymentStrategy",
    AppConfigEnvironment: "AWS::AppConfig::Environment",
    AppConfigExtension: "AWS::AppConfig::Extension",
    AppConfigExtensionAssociation: "AWS::AppConfig::ExtensionAssociation",
    AppConfigHostedConfigurationVersion: "AWS::AppConfig::HostedConfigurationVersion",
    AppFlowFlow: "AWS::AppFlow::Flow",
    AppIntegrationsApplication: "AWS::AppIntegrations::Application",
    AppIntegrationsEventIntegration: "AWS::AppIntegrations::EventIntegration",
    AppMeshGatewayRoute: "AWS::AppMesh::GatewayRoute",
    AppMeshMesh: "AWS::AppMesh::Mesh",
    AppMeshRoute: "AWS::AppMesh::Route",
    AppMeshVirtualGateway: "AWS::AppMesh::VirtualGateway",
    AppMeshVirtualNode: "AWS::AppMesh::VirtualNode",
    AppMeshVirtualRouter: "AWS::AppMesh::VirtualRouter",
    AppMeshVirtualService: "AWS::AppMesh::VirtualService",
    AppRunnerService: "AWS::AppRunner::Service",
    AppRunnerVpcConnector: "AWS::AppRunner::VpcConnector",
    AppStreamAppBlockBuilder: "AWS::AppStream::AppBlockBuilder",
    AppStreamApplication: "AWS::AppStream::Application",
    AppStreamDirectoryConfig: "AWS::AppStream::DirectoryConfig",
    AppStreamFleet: "AWS::AppStream::Fleet",
    AppStreamStack: "AWS::AppStream::Stack",
    AppSyncApiCache: "AWS::AppSync::ApiCache",
    AppSyncGraphQLApi: "AWS::AppSync::GraphQLApi",
    Application: "AWS::ElasticBeanstalk::Application",
    ApplicationVersion: "AWS::ElasticBeanstalk::ApplicationVersion",
    AssociationCompliance: "AWS::SSM::AssociationCompliance",
    AthenaDataCatalog: "AWS::Athena::DataCatalog",
    AthenaPreparedStatement: "AWS::Athena::PreparedStatement",
    AthenaWorkGroup: "AWS::Athena::WorkGroup",
    AuditManagerAssessment: "AWS::AuditManager::Assessment",
    AutoScalingGroup: "AWS::AutoScaling::AutoScalingGroup",
    AutoScalingWarmPool: "AWS::AutoScaling::WarmPool",
    B2BICapability: "AWS::B2BI::Capability",
    BCMDataExportsExport: "AWS::BCMDataExports::Export",
    BackupGatewayHypervisor: "AWS::BackupGateway::Hypervisor",
    BackupPlan: "AWS::Backup::BackupPlan",
    BackupRecoveryPoint: "AWS::Backup::RecoveryPoint",
    BackupReportPlan: "AWS::Backup::ReportPlan",
    BackupRestoreTestingPlan: "AWS::Backup::RestoreTestingPlan",
    BackupSelection: "AWS::Backup::BackupSelection",
    BackupVault: "AWS::Backup::BackupVault",
    BatchComputeEnvironment: "AWS::Batch::ComputeEnvironment",
    BatchJobQueue: "AWS::Batch::JobQueue",
    BatchSchedulingPolicy: "AWS::Batch::SchedulingPolicy",
    BedrockAgentCoreBrowserCustom: "AWS::BedrockAgentCore::BrowserCustom",
    BedrockAgentCoreRuntime: "AWS::BedrockAgentCore::Runtime",
    BedrockApplicationInferenceProfile: "AWS::Bedrock::ApplicationInferenceProfile",
    BedrockGuardrail: "AWS::Bedrock::Guardrail",
    BedrockKnowledgeBase: "AWS::Bedrock::KnowledgeBase",
    BedrockPrompt: "AWS::Bedrock::Prompt",
    Bucket: "AWS::S3::Bucket",
    BudgetsBudgetsAction: "AWS::Budgets::BudgetsAction",
    CassandraKeyspace: "AWS::Cassandra::Keyspace",
    Certificate: "AWS::ACM::Certificate",
    CleanRoomsMLTrainingDataset: "AWS::CleanRoomsML::TrainingDataset",
    Cloud9EnvironmentEC2: "AWS::Cloud9::EnvironmentEC2",
    CloudFormationGuardHook: "AWS::CloudFormation::GuardHook",
    CloudFormationLambdaHook: "AWS::CloudFormation::LambdaHook",
    CloudFormationProduct: "AWS::ServiceCatalog::CloudFormationProduct",
    CloudFormationProvisionedProduct: "AWS::ServiceCatalog::CloudFormationProvisionedProduct",
    CloudFormationStackSet: "AWS::CloudFormation::StackSet",
    CloudFrontKeyValueStore: "AWS::CloudFront::KeyValueStore",
    CloudFrontPublicKey: "AWS::CloudFront::PublicKey",
    CloudFrontRealtimeLogConfig: "AWS::CloudFront::RealtimeLogConfig",
    CloudTrailEventDataStore: "AWS::CloudTrail::EventDataStore",
    CloudWatchMetricStream: "AWS::CloudWatch::MetricStream",
    Cluster: "AWS::Redshift::Cluster",
    ClusterParameterGroup: "AWS::Redshift::ClusterParameterGroup",
    ClusterSecurityGroup: "AWS::Redshift::ClusterSecurityGroup",
    ClusterSnapshot: "AWS::Redshift::ClusterSnapshot",
    ClusterSubnetGroup: "AWS::Redshift::ClusterSubnetGroup",
    CodeArtifactDomain: "AWS::CodeArtifact::Domain",
    CodeArtifactRepository: "AWS::CodeArtifact::Repository",
    CodeBuildReportGroup: "AWS::CodeBuild::ReportGroup",
    CodeDeployApplication: "AWS::CodeDeploy::Application",
    CodeDeployDeploymentConfig: "AWS::CodeDeploy::DeploymentConfig",
    CodeDeployDeploymentGroup: "AWS::CodeDeploy::DeploymentGroup",
    CodeGuruProfilerProfilingGroup: "AWS::CodeGuruProfiler::ProfilingGroup",
    CodeGuruReviewerRepositoryAssociation: "AWS::CodeGuruReviewer::RepositoryAssociation",
    CognitoIdentityPool: "AWS::Cognito::IdentityPool",
    CognitoUserPool: "AWS::Cognito::UserPool",
    CognitoUserPoolClient: "AWS::Cognito::UserPoolClient",
    CognitoUserPoolGroup: "AWS::Cognito::UserPoolGroup",
    ComprehendFlywheel: "AWS::Comprehend::Flywheel",
    ConfigAggregationAuthorization: "AWS::Config::AggregationAuthorization",
    ConfigConformancePack: "AWS::Config::ConformancePack",
    ConfigStoredQuery: "AWS::Config::StoredQuery",
    ConformancePackCompliance: "AWS::Config::ConformancePackCompliance",
    ConnectInstance: "AWS::Connect::Instance",
    ConnectPhoneNumber: "AWS::Connect::PhoneNumber",
    ConnectQuickConnect: "AWS::Connect::QuickConnect",
    ConnectRule: "AWS::Connect::Rule",
    ConnectSecurityProfile: "AWS::Connect::SecurityProfile",
    ConnectUser: "AWS::Connect::User",
    CustomerGateway: "AWS::EC2::CustomerGateway",
    CustomerProfilesDomain: "AWS::CustomerProfiles::Domain",
    CustomerProfilesObjectType: "AWS::CustomerProfiles::ObjectType",
    DBCluster: "AWS::RDS::DBCluster",
    DBClusterSnapshot: "AWS::RDS::DBClusterSnapshot",
    DBInstance: "AWS::RDS::DBInstance",
    DBSecurityGroup: "AWS::RDS::DBSecurityGroup",
    DBSnapshot: "AWS::RDS::DBSnapshot",
    DBSubnetGroup: "AWS::RDS::DBSubnetGroup",
    DMSCertificate: "AWS::DMS::Certificate",
    DMSEndpoint: "AWS::DMS::Endpoint",
    DMSEventSubscription: "AWS::DMS::EventSubscription",
    DMSReplicationSubnetGroup: "AWS::DMS::ReplicationSubnetGroup",
    DataSyncAgent: "AWS::DataSync::Agent",
    DataSyncLocationEFS: "AWS::DataSync::LocationEFS",
    DataSyncLocationFSxLustre: "AWS::DataSync::LocationFSxLustre",
    DataSyncLocationFSxWindows: "AWS::DataSync::LocationFSxWindows",
    DataSyncLocationHDFS: "AWS::DataSync::LocationHDFS",
    DataSyncLocationNFS: "AWS::DataSync::LocationNFS",
    DataSyncLocationObjectStorage: "AWS::DataSync::LocationObjectStorage",
    DataSyncLocationS3: "AWS::DataSync::LocationS3",
    DataSyncLocationSMB: "AWS::DataSync::LocationSMB",
    DataSyncTask: "AWS::DataSync::Task",
    DeadlineFleet: "AWS::Deadline::Fleet",
    DeadlineMonitor: "AWS::Deadline::Monitor",
    DeadlineQueueFleetAssociation: "AWS::Deadline::QueueFleetAssociation",
    DetectiveGraph: "AWS::Detective::Graph",
    DeviceFarmInstanceProfile: "AWS::DeviceFarm::InstanceProfile",
    DeviceFarmProject: "AWS::DeviceFarm::Project",
    DeviceFarmTestGridProject: "AWS::DeviceFarm::TestGridProject",
    Distribution: "AWS::CloudFront::Distribution",
    Domain: "AWS::Elasticsearch::Domain",
    EC2CapacityReservation: "AWS::EC2::CapacityReservation",
    EC2CarrierGateway: "AWS::EC2::CarrierGateway",
    EC2ClientVpnEndpoint: "AWS::EC2::ClientVpnEndpoint",
    EC2ClientVpnTargetNetworkAssociation: "AWS::EC2::ClientVpnTargetNetworkAssociation",
    EC2DHCPOptions: "AWS::EC2::DHCPOptions",
    EC2EC2Fleet: "AWS::EC2::EC2Fleet",
    EC2EIPAssociation: "AWS::EC2::EIPAssociation",
    EC2IPAM: "AWS::EC2::IPAM",
    EC2IPAMPool: "AWS::EC2::IPAMPool",
    EC2IPAMPoolCidr: "AWS::EC2::IPAMPoolCidr",
    EC2IPAMResourceDiscovery: "AWS::EC2::IPAMResourceDiscovery",
    EC2IPAMResourceDiscoveryAssociation: "AWS::EC2::IPAMResourceDiscoveryAssociation",
    EC2IPAMScope: "AWS::EC2::IPAMScope",
    EC2InstanceConnectEndpoint: "AWS::EC2::InstanceConnectEndpoint",
    EC2NetworkInsightsAccessScope: "AWS::EC2::NetworkInsightsAccessScope",
    EC2NetworkInsightsAnalysis: "AWS::EC2::NetworkInsightsAnalysis",
    EC2NetworkInsightsPath: "AWS::EC2::NetworkInsightsPath",
    EC2PrefixList: "AWS::EC2::PrefixList",
    EC2SecurityGroupVpcAssociation: "AWS::EC2::SecurityGroupVpcAssociation",
    EC2SnapshotBlockPublicAccess: "AWS::EC2::SnapshotBlockPublicAccess",
    EC2SpotFleet: "AWS::EC2::SpotFleet",
    EC2SubnetCidrBlock: "AWS::EC2::SubnetCidrBlock",
    EC2SubnetNetworkAclAssociation: "AWS::EC2::SubnetNetworkAclAssociation",
    EC2SubnetRouteTableAssociation: "AWS::EC2::SubnetRouteTableAssociation",
    EC2TrafficMirrorFilter: "AWS::EC2::TrafficMirrorFilter",
    EC2TrafficMirrorSession: "AWS::EC2::TrafficMirrorSession",
    EC2TrafficMirrorTarget: "AWS::EC2::TrafficMirrorTarget",
    EC2TransitGatewayConnect: "AWS::EC2::TransitGatewayConnect",
    EC2TransitGatewayMulticastDomain: "AWS::EC2::TransitGatewayMulticastDomain",
    EC2VPCBlockPublicAccessExclusion: "AWS::EC2::VPCBlockPublicAccessExclusion",
    EC2VPCBlockPublicAccessOptions: "AWS::EC2::VPCBlockPublicAccessOptions",
    EC2VPCEndpointConnectionNotification: "AWS::EC2::VPCEndpointConnectionNotification",
    EC2VPCGatewayAttachment: "AWS::EC2::VPCGatewayAttachment",
    EC2VPNConnectionRoute: "AWS::EC2::VPNConnectionRoute",
    EC2VerifiedAccessInstance: "AWS::EC2::VerifiedAccessInstance",
    ECRPublicRepository: "AWS::ECR::PublicRepository",
    ECRPullThroughCacheRule: "AWS::ECR::PullThroughCacheRule",
    ECRRegistryPolicy: "AWS::ECR::RegistryPolicy",
    ECRReplicationConfiguration: "AWS::ECR::ReplicationConfiguration",
    ECRRepository: "AWS::ECR::Repository",
    ECRRepositoryCreationTemplate: "AWS::ECR::RepositoryCreationTemplate",
    ECSCapacityProvider: "AWS::ECS::CapacityProvider",
    ECSCluster: "AWS::ECS::Cluster",
    ECSService: "AWS::ECS::Service",
    ECSTaskDefinition: "AWS::ECS::TaskDefinition",
    ECSTaskSet: "AWS::ECS::TaskSet",
    EFSAccessPoint: "AWS::EFS::AccessPoint",
    EFSFileSystem: "AWS::EFS::FileSystem",
    EIP: "AWS::EC2::EIP",
    EKSAddon: "AWS::EKS::Addon",
    EKSCluster: "AWS::EKS::Cluster",
    EKSFargateProfile: "AWS::EKS::FargateProfile",
    EKSIdentityProviderConfig: "AWS::EKS::IdentityProviderConfig",
    EMRContainersVirtualCluster: "AWS::EMRContainers::VirtualCluster",
    EMRSecurityConfiguration: "AWS::EMR::SecurityConfiguration",
    EMRServerlessApplication: "AWS::EMRServerless::Application",
    EMRStudio: "AWS::EMR::Studio",
    EgressOnlyInternetGateway: "AWS::EC2::EgressOnlyInternetGateway",
    ElasticLoadBalancingV2TargetGroup: "AWS::ElasticLoadBalancingV2::TargetGroup",
    EncryptionConfig: "AWS::XRay::EncryptionConfig",
    EntityResolutionIdMappingWorkflow: "AWS::EntityResolution::IdMappingWorkflow",
    EntityResolutionMatchingWorkflow: "AWS::EntityResolution::MatchingWorkflow",
    EntityResolutionSchemaMapping: "AWS::EntityResolution::SchemaMapping",
    Environment: "AWS::ElasticBeanstalk::Environment",
    EventSchemasDiscoverer: "AWS::EventSchemas::Discoverer",
    EventSchemasRegistry: "AWS::EventSchemas::Registry",
    EventSchemasRegistryPolicy: "AWS::EventSchemas::RegistryPolicy",
    EventSchemasSchema: "AWS::EventSchemas::Schema",
    EventSubscription: "AWS::RDS::EventSubscription",
    EventsApiDestination: "AWS::Events::ApiDestination",
    EventsArchive: "AWS::Events::Archive",
    EventsConnection: "AWS::Events::Connection",
    EventsEndpoint: "AWS::Events::Endpoint",
    EventsEventBus: "AWS::Events::EventBus",
    EventsRule: "AWS::Events::Rule",
    EvidentlyLaunch: "AWS::Evidently::Launch",
    EvidentlyProject: "AWS::Evidently::Project",
    EvidentlySegment: "AWS::Evidently::Segment",
    FISExperimentTemplate: "AWS::FIS::ExperimentTemplate",
    FileData: "AWS::SSM::FileData",
    FlowLog: "AWS::EC2::FlowLog",
    ForecastDataset: "AWS::Forecast::Dataset",
    ForecastDatasetGroup: "AWS::Forecast::DatasetGroup",
    FraudDetectorEntityType: "AWS::FraudDetector::EntityType",
    FraudDetectorLabel: "AWS::FraudDetector::Label",
    FraudDetectorOutcome: "AWS::FraudDetector::Outcome",
    FraudDetectorVariable: "AWS::FraudDetector::Variable",
    Function: "AWS::Lambda::Function",
    GameLiftBuild: "AWS::GameLift::Build",
    GlobalAcceleratorAccelerator: "AWS::GlobalAccelerator::Accelerator",
    GlobalAcceleratorEndpointGroup: "AWS::GlobalAccelerator::EndpointGroup",
    GlobalAcceleratorListener: "AWS::GlobalAccelerator::Listener",
    GlueClassifier: "AWS::Glue::Classifier",
    GlueDatabase: "AWS::Glue::Database",
    GlueJob: "AWS::Glue::Job",
    GlueMLTransform: "AWS::Glue::MLTransform",
    GrafanaWorkspace: "AWS::Grafana::Workspace",
    GreengrassV2ComponentVersion: "AWS::GreengrassV2::ComponentVersion",
    GroundStationConfig: "AWS::GroundStation::Config",
    GroundStationDataflowEndpointGroup: "AWS::GroundStation::DataflowEndpointGroup",
    GroundStationMissionProfile: "AWS::GroundStation::MissionProfile",
    Group: "AWS::IAM::Group",
    GuardDutyDetector: "AWS::GuardDuty::Detector",
    GuardDutyFilter: "AWS::GuardDuty::Filter",
    GuardDutyIPSet: "AWS::GuardDuty::IPSet",
    GuardDutyMalwareProtectionPlan: "AWS::GuardDuty::MalwareProtectionPlan",
    GuardDutyThreatIntelSet: "AWS::GuardDuty::ThreatIntelSet",
    HealthLakeFHIRDatastore: "AWS::HealthLake::FHIRDatastore",
    Host: "AWS::EC2::Host",
    IAMInstanceProfile: "AWS::IAM::InstanceProfile",
    IAMOIDCProvider: "AWS::IAM::OIDCProvider",
    IAMSAMLProvider: "AWS::IAM::SAMLProvider",
    IAMServerCertificate: "AWS::IAM::ServerCertificate",
    IPSetV2: "AWS::WAFv2::IPSet",
    IVSChannel: "AWS::IVS::Channel",
    IVSPlaybackKeyPair: "AWS::IVS::PlaybackKeyPair",
    IVSRecordingConfiguration: "AWS::IVS::RecordingConfiguration",
    ImageBuilderContainerRecipe: "AWS::ImageBuilder::ContainerRecipe",
    ImageBuilderDistributionConfiguration: "AWS::ImageBuilder::DistributionConfiguration",
    ImageBuilderImagePipeline: "AWS::ImageBuilder::ImagePipeline",
    ImageBuilderImageRecipe: "AWS::ImageBuilder::ImageRecipe",
    ImageBuilderInfrastructureConfiguration: "AWS::ImageBuilder::InfrastructureConfiguration",
    ImageBuilderLifecyclePolicy: "AWS::ImageBuilder::LifecyclePolicy",
    InspectorV2Activation: "AWS::InspectorV2::Activation",
    InspectorV2Filter: "AWS::InspectorV2::Filter",
    Instance: "AWS::EC2::Instance",
    InternetGateway: "AWS::EC2::InternetGateway",
    IoTAccountAuditConfiguration: "AWS::IoT::AccountAuditConfiguration",
    IoTAnalyticsChannel: "AWS::IoTAnalytics::Channel",
    IoTAnalyticsDataset: "AWS::IoTAnalytics::Dataset",
    IoTAnalyticsDatastore: "AWS::IoTAnalytics::Datastore",
    IoTAnalyticsPipeline: "AWS::IoTAnalytics::Pipeline",
    IoTAuthorizer: "AWS::IoT::Authorizer",
    IoTCACertificate: "AWS::IoT::CACertificate",
    IoTCoreDeviceAdvisorSuiteDefinition: "AWS::IoTCoreDeviceAdvisor::SuiteDefinition",
    IoTCustomMetric: "AWS::IoT::CustomMetric",
    IoTDimension: "AWS::IoT::Dimension",
    IoTDomainConfiguration: "AWS::IoT::DomainConfiguration",
    IoTEventsAlarmModel: "AWS::IoTEvents::AlarmModel",
    IoTEventsDetectorModel: "AWS::IoTEvents::DetectorModel",
    IoTEventsInput: "AWS::IoTEvents::Input",
    IoTFleetMetric: "AWS::IoT::FleetMetric",
    IoTJobTemplate: "AWS::IoT::JobTemplate",
    IoTMitigationAction: "AWS::IoT::MitigationAction",
    IoTPolicy: "AWS::IoT::Policy",
    IoTProvisioningTemplate: "AWS::IoT::ProvisioningTemplate",
    IoTRoleAlias: "AWS::IoT::RoleAlias",
    IoTScheduledAudit: "AWS::IoT::ScheduledAudit",
    IoTSecurityProfile: "AWS::IoT::SecurityProfile",
    IoTSiteWiseAsset: "AWS::IoTSiteWise::Asset",
    IoTSiteWiseAssetModel: "AWS::IoTSiteWise::AssetModel",
    IoTSiteWiseDashboard: "AWS::IoTSiteWise::Dashboard",
    IoTSiteWiseGateway: "AWS::IoTSiteWise::Gateway",
    IoTSiteWisePortal: "AWS::IoTSiteWise::Portal",
    IoTSiteWiseProject: "AWS::IoTSiteWise::Project",
    IoTThingGroup: "AWS::IoT::ThingGroup",
    IoTTwinMakerComponentType: "AWS::IoTTwinMaker::ComponentType",
    IoTTwinMakerEntity: "AWS::IoTTwinMaker::Entity",
    IoTTwinMakerScene: "AWS::IoTTwinMaker::Scene",
    IoTTwinMakerSyncJob: "AWS::IoTTwinMaker::SyncJob",
    IoTTwinMakerWorkspace: "AWS::IoTTwinMaker::Workspace",
    IoTWirelessFuotaTask: "AWS::IoTWireless::FuotaTask",
    IoTWirelessMulticastGroup: "AWS::IoTWireless::MulticastGroup",
    IoTWirelessServiceProfile: "AWS::IoTWireless::ServiceProfile",
    KMSAlias: "AWS::KMS::Alias",
    KafkaConnectConnector: "AWS::KafkaConnect::Connector",
    KafkaConnectCustomPlugin: "AWS::KafkaConnect::CustomPlugin",
    KendraIndex: "AWS::Kendra::Index",
    Key: "AWS::KMS::Key",
    KinesisAnalyticsV2Application: "AWS::KinesisAnalyticsV2::Application",
    KinesisFirehoseDeliveryStream: "AWS::KinesisFirehose::DeliveryStream",
    KinesisStream: "AWS::Kinesis::Stream",
    KinesisStreamConsumer: "AWS::Kinesis::StreamConsumer",
    KinesisVideoSignalingChannel: "AWS::KinesisVideo::SignalingChannel",
    KinesisVideoStream: "AWS::KinesisVideo::Stream",
    LambdaCodeSigningConfig: "AWS::Lambda::CodeSigningConfig",
    LaunchConfiguration: "AWS::AutoScaling::LaunchConfiguration",
    LaunchTemplate: "AWS::EC2::LaunchTemplate",
    LexBot: "AWS::Lex::Bot",
    LexBotAlias: "AWS::Lex::BotAlias",
    LightsailBucket: "AWS::Lightsail::Bucket",
    LightsailCertificate: "AWS::Lightsail::Certificate",
    LightsailDisk: "AWS::Lightsail::Disk",
    LightsailStaticIp: "AWS::Lightsail::StaticIp",
    ListenerV2: "AWS::ElasticLoadBalancingV2::Listener",
    LoadBalancer: "AWS::ElasticLoadBalancing::LoadBalancer",
    LoadBalancerV2: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    LocationAPIKey: "AWS::Location::APIKey",
    LogsDestination: "AWS::Logs::Destination",
    LookoutMetricsAlert: "AWS::LookoutMetrics::Alert",
    LookoutVisionProject: "AWS::LookoutVision::Project",
    M2Environment: "AWS::M2::Environment",
    MSKBatchScramSecret: "AWS::MSK::BatchScramSecret",
    MSKCluster: "AWS::MSK::Cluster",
    MSKClusterPolicy: "AWS::MSK::ClusterPolicy",
    MSKConfiguration: "AWS::MSK::Configuration",
    MSKServerlessCluster: "AWS::MSK::ServerlessCluster",
    MSKVpcConnection: "AWS::MSK::VpcConnection",
    ManagedInstanceInventory: "AWS::SSM::ManagedInstanceInventory",
    ManagedRuleSetV2: "AWS::WAFv2::ManagedRuleSet",
    MediaConnectFlowEntitlement: "AWS::MediaConnect::FlowEntitlement",
    MediaConnectFlowSource: "AWS::MediaConnect::FlowSource",
    MediaConnectFlowVpcInterface: "AWS::MediaConnect::FlowVpcInterface",
    MediaConnectGateway: "AWS::MediaConnect::Gateway",
    MediaPackagePackagingConfiguration: "AWS::MediaPackage::PackagingConfiguration",
    MediaPackagePackagingGroup: "AWS::MediaPackage::PackagingGroup",
    MediaPackageV2Channel: "AWS::MediaPackageV2::Channel",
    MediaPackageV2OriginEndpoint: "AWS::MediaPackageV2::OriginEndpoint",
    MediaTailorLiveSource: "AWS::MediaTailor::LiveSource",
    MediaTailorPlaybackConfiguration: "AWS::MediaTailor::PlaybackConfiguration",
    MemoryDBSubnetGroup: "AWS::MemoryDB::SubnetGroup",
    NatGateway: "AWS::EC2::NatGateway",
    NetworkAcl: "AWS::EC2::NetworkAcl",
    NetworkFirewallFirewall: "AWS::NetworkFirewall::Firewall",
    NetworkFirewallFirewallPolicy: "AWS::NetworkFirewall::FirewallPolicy",
    NetworkFirewallRuleGroup: "AWS::NetworkFirewall::RuleGroup",
    NetworkInsightsAccessScopeAnalysis: "AWS::EC2::NetworkInsightsAccessScopeAnalysis",
    NetworkInterface: "AWS::EC2::NetworkInterface",
    NetworkManagerConnectPeer: "AWS::NetworkManager::ConnectPeer",
    NetworkManagerCustomerGatewayAssociation: "AWS::NetworkManager::CustomerGatewayAssociation",
    NetworkManagerDevice: "AWS::NetworkManager::Device",
    NetworkManagerGlobalNetwork: "AWS::NetworkManager::GlobalNetwork",
    NetworkManagerLink: "AWS::NetworkManager::Link",
    NetworkManagerLinkAssociation: "AWS::NetworkManager::LinkAssociation",
    NetworkManagerSite: "AWS::NetworkManager::Site",
    NetworkManagerTransitGatewayPeering: "AWS::NetworkManager::TransitGatewayPeering",
    NetworkManagerTransitGatewayRegistration: "AWS::NetworkManager::TransitGatewayRegistration",
    OpenSearchDomain: "AWS::OpenSearch::Domain",
    OpenSearchServerlessCollection: "AWS::OpenSearchServerless::Collection",
    OpenSearchServerlessSecurityConfig: "AWS::OpenSearchServerless::SecurityConfig",
    OpenSearchServerlessVpcEndpoint: "AWS::OpenSearchServerless::VpcEndpoint",
    OrganizationsOrganizationalUnit: "AWS::Organizations::OrganizationalUnit",
    PCAConnectorADConnector: "AWS::PCAConnectorAD::Connector",
    PCAConnectorADDirectoryRegistration: "AWS::PCAConnectorAD::DirectoryRegistration",
    PanoramaPackage: "AWS::Panorama::Package",
    PatchCompliance: "AWS::SSM::PatchCompliance",
    PersonalizeDataset: "AWS::Personalize::Dataset",
    PersonalizeDatasetGroup: "AWS::Personalize::DatasetGroup",
    PersonalizeSchema: "AWS::Personalize::Schema",
    PersonalizeSolution: "AWS::Personalize::Solution",
    PinpointApp: "AWS::Pinpoint::App",
    PinpointApplicationSettings: "AWS::Pinpoint::ApplicationSettings",
    PinpointCampaign: "AWS::Pinpoint::Campaign",
    PinpointEmailChannel: "AWS::Pinpoint::EmailChannel",
    PinpointEmailTemplate: "AWS::Pinpoint::EmailTemplate",
    PinpointEventStream: "AWS::Pinpoint::EventStream",
    PinpointInAppTemplate: "AWS::Pinpoint::InAppTemplate",
    PinpointSegment: "AWS::Pinpoint::Segment",
    Pipeline: "AWS::CodePipeline::Pipeline",
    Policy: "AWS::IAM::Policy",
    Portfolio: "AWS::ServiceCatalog::Portfolio",
    Project: "AWS::CodeBuild::Project",
    Protection: "AWS::Shield::Protection",
    QLDBLedger: "AWS::QLDB::Ledger",
    Queue: "AWS::SQS::Queue",
    QuickSightDataSource: "AWS::QuickSight::DataSource",
    QuickSightTemplate: "AWS::QuickSight::Template",
    QuickSightTheme: "AWS::QuickSight::Theme",
    RDSGlobalCluster: "AWS::RDS::GlobalCluster",
    RDSIntegration: "AWS::RDS::Integration",
    RDSOptionGroup: "AWS::RDS::OptionGroup",
    RUMAppMonitor: "AWS::RUM::AppMonitor",
    RateBasedRule: "AWS::WAF::RateBasedRule",
    RedshiftEndpointAccess: "AWS::Redshift::EndpointAccess",
    RedshiftEndpointAuthorization: "AWS::Redshift::EndpointAuthorization",
    RedshiftEventSubscription: "AWS::Redshift::EventSubscription",
    RedshiftIntegration: "AWS::Redshift::Integration",
    RedshiftScheduledAction: "AWS::Redshift::ScheduledAction",
    RegexPatternSetV2: "AWS::WAFv2::RegexPatternSet",
    RegionalProtection: "AWS::ShieldRegional::Protection",
    RegionalRateBasedRule: "AWS::WAFRegional::RateBasedRule",
    RegionalRule: "AWS::WAFRegional::Rule",
    RegionalRuleGroup: "AWS::WAFRegional::RuleGroup",
    RegionalWebACL: "AWS::WAFRegional::WebACL",
    RegisteredHAInstance: "AWS::EC2::RegisteredHAInstance",
    ResilienceHubApp: "AWS::ResilienceHub::App",
    ResilienceHubResiliencyPolicy: "AWS::ResilienceHub::ResiliencyPolicy",
    ResourceCompliance: "AWS::Config::ResourceCompliance",
    ResourceExplorer2Index: "AWS::ResourceExplorer2::Index",
    RestApi: "AWS::ApiGateway::RestApi",
    RoboMakerRobotApplication: "AWS::RoboMaker::RobotApplication",
    RoboMakerRobotApplicationVersion: "AWS::RoboMaker::RobotApplicationVersion",
    RoboMakerSimulationApplication: "AWS::RoboMaker::SimulationApplication",
    Role: "AWS::IAM::Role",
    RolesAnywhereProfile: "AWS::RolesAnywhere::Profile",
    RolesAnywhereTrustAnchor: "AWS::RolesAnywhere::TrustAnchor",
    Route53DNSSEC: "AWS::Route53::DNSSEC",
    Route53HostedZone: "AWS::Route53::HostedZone",
    Route53ProfilesProfile: "AWS::Route53Profiles::Profile",
    Route53ProfilesProfileAssociation: "AWS::Route53Profiles::ProfileAssociation",
    Route53RecoveryControlCluster: "AWS::Route53RecoveryControl::Cluster",
    Route53RecoveryControlControlPanel: "AWS::Route53RecoveryControl::ControlPanel",
    Route53RecoveryControlRoutingControl: "AWS::Route53RecoveryControl::RoutingControl",
    Route53RecoveryControlSafetyRule: "AWS::Route53RecoveryControl::SafetyRule",
    Route53RecoveryReadinessCell: "AWS::Route53RecoveryReadiness::Cell",
    Route53RecoveryReadinessReadinessCheck: "AWS::Route53RecoveryReadiness::ReadinessCheck",
    Route53RecoveryReadinessRecoveryGroup: "AWS::Route53RecoveryReadiness::RecoveryGroup",
    Route53RecoveryReadinessResourceSet: "AWS::Route53RecoveryReadiness::ResourceSet",
    Route53ResolverFirewallDomainList: "AWS::Route53Resolver::FirewallDomainList",
    Route53ResolverFirewallRuleGroup: "AWS::Route53Resolver::FirewallRuleGroup",
    Route53ResolverFirewallRuleGroupAssociation: "AWS::Route53Resolver::FirewallRuleGroupAssociation",
    Route53ResolverResolverEndpoint: "AWS::Route53Resolver::ResolverEndpoint",
    Route53ResolverResolverQueryLoggingConfig: "AWS::Route53Resolver::ResolverQueryLoggingConfig",
    Route53ResolverResolverQueryLoggingConfigAssociation: "AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation",
    Route53ResolverResolverRule: "AWS::Route53Resolver::ResolverRule",
    Route53ResolverResolverRuleAssociation: "AWS::Route53Resolver::ResolverRuleAssociation",
    RouteTable: "AWS::EC2::RouteTable",
    Rule: "AWS::WAF::Rule",
    RuleGroup: "AWS::WAF::RuleGroup",
    RuleGroupV2: "AWS::WAFv2::RuleGroup",
    S3AccessGrant: "AWS::S3::AccessGrant",
    S3AccessGrantsInstance: "AWS::S3::AccessGrantsInstance",
    S3AccessGrantsLocation: "AWS::S3::AccessGrantsLocation",
    S3AccessPoint: "AWS::S3::AccessPoint",
    S3ExpressBucketPolicy: "AWS::S3Express::BucketPolicy",
    S3ExpressDirectoryBucket: "AWS::S3Express::DirectoryBucket",
    S3MultiRegionAccessPoint: "AWS::S3::MultiRegionAccessPoint",
    S3StorageLens: "AWS::S3::StorageLens",
    S3StorageLensGroup: "AWS::S3::StorageLensGroup",
    S3TablesTableBucket: "AWS::S3Tables::TableBucket",
    S3TablesTableBucketPolicy: "AWS::S3Tables::TableBucketPolicy",
    SESConfigurationSet: "AWS::SES::ConfigurationSet",
    SESContactList: "AWS::SES::ContactList",
    SESDedicatedIpPool: "AWS::SES::DedicatedIpPool",
    SESMailManagerTrafficPolicy: "AWS::SES::MailManagerTrafficPolicy",
    SESReceiptFilter: "AWS::SES::ReceiptFilter",
    SESReceiptRuleSet: "AWS::SES::ReceiptRuleSet",
    SESTemplate: "AWS::SES::Template",
    SSMContactsContact: "AWS::SSMContacts::Contact",
    SSMDocument: "AWS::SSM::Document",
    SSMIncidentsResponsePlan: "AWS::SSMIncidents::ResponsePlan",
    SSMResourceDataSync: "AWS::SSM::ResourceDataSync",
    SageMakerAppImageConfig: "AWS::SageMaker::AppImageConfig",
    SageMakerCodeRepository: "AWS::SageMaker::CodeRepository",
    SageMakerDataQualityJobDefinition: "AWS::SageMaker::DataQualityJobDefinition",
    SageMakerDomain: "AWS::SageMaker::Domain",
    SageMakerFeatureGroup: "AWS::SageMaker::FeatureGroup",
    SageMakerImage: "AWS::SageMaker::Image",
    SageMakerInferenceExperiment: "AWS::SageMaker::InferenceExperiment",
    SageMakerMlflowTrackingServer: "AWS::SageMaker::MlflowTrackingServer",
    SageMakerModel: "AWS::SageMaker::Model",
    SageMakerModelBiasJobDefinition: "AWS::SageMaker::ModelBiasJobDefinition",
    SageMakerModelExplainabilityJobDefinition: "AWS::SageMaker::ModelExplainabilityJobDefinition",
    SageMakerModelQualityJobDefinition: "AWS::SageMaker::ModelQualityJobDefinition",
    SageMakerNotebookInstanceLifecycleConfig: "AWS::SageMaker::NotebookInstanceLifecycleConfig",
    SageMakerStudioLifecycleConfig: "AWS::SageMaker::StudioLifecycleConfig",
    SageMakerUserProfile: "AWS::SageMaker::UserProfile",
    SageMakerWorkteam: "AWS::SageMaker::Workteam",
    ScalingPolicy: "AWS::AutoScaling::ScalingPolicy",
    ScheduledAction: "AWS::AutoScaling::ScheduledAction",
    Secret: "AWS::SecretsManager::Secret",
    SecretsManagerResourcePolicy: "AWS::SecretsManager::ResourcePolicy",
    SecretsManagerRotationSchedule: "AWS::SecretsManager::RotationSchedule",
    SecurityGroup: "AWS::EC2::SecurityGroup",
    SecurityHubStandard: "AWS::SecurityHub::Standard",
    ServiceDiscoveryHttpNamespace: "AWS::ServiceDiscovery::HttpNamespace",
    ServiceDiscoveryInstance: "AWS::ServiceDiscovery::Instance",
    ServiceDiscoveryPublicDnsNamespace: "AWS::ServiceDiscovery::PublicDnsNamespace",
    ServiceDiscoveryService: "AWS::ServiceDiscovery::Service",
    SignerSigningProfile: "AWS::Signer::SigningProfile",
    Stack: "AWS::CloudFormation::Stack",
    Stage: "AWS::ApiGateway::Stage",
    StageV2: "AWS::ApiGatewayV2::Stage",
    StepFunctionsActivity: "AWS::StepFunctions::Activity",
    StepFunctionsStateMachine: "AWS::StepFunctions::StateMachine",
    StreamingDistribution: "AWS::CloudFront::StreamingDistribution",
    Subnet: "AWS::EC2::Subnet",
    Table: "AWS::DynamoDB::Table",
    Topic: "AWS::SNS::Topic",
    Trail: "AWS::CloudTrail::Trail",
    TransferAgreement: "AWS::Transfer::Agreement",
    TransferCertificate: "AWS::Transfer::Certificate",
    TransferConnector: "AWS::Transfer::Connector",
    TransferProfile: "AWS::Transfer::Profile",
    TransferServer: "AWS::Transfer::Server",
    TransferWorkflow: "AWS::Transfer::Workflow",
    TransitGateway: "AWS::EC2::TransitGateway",
    TransitGatewayAttachment: "AWS::EC2::TransitGatewayAttachment",
    TransitGatewayRouteTable: "AWS::EC2::TransitGatewayRouteTable",
    User: "AWS::IAM::User",
    VPC: "AWS::EC2::VPC",
    VPCEndpoint: "AWS::EC2::VPCEndpoint",
    VPCEndpointService: "AWS::EC2::VPCEndpointService",
    VPCPeeringConnection: "AWS::EC2::VPCPeeringConnection",
    VPNConnection: "AWS::EC2::VPNConnection",
    VPNGateway: "AWS::EC2::VPNGateway",
    Volume: "AWS::EC2::Volume",
    WebACL: "AWS::WAF::WebACL",
    WebACLV2: "AWS::WAFv2::WebACL",
    WorkSpacesConnectionAlias: "AWS::WorkSpaces::ConnectionAlias",
    WorkSpacesWorkspace: "AWS::WorkSpaces::Workspace",
};
const AggregatorFilterType = {
    INCLUDE: "INCLUDE",
};
const RecordingStrategyType = {
    ALL_SUPPORTED_RESOURCE_TYPES: "ALL_SUPPORTED_RESOURCE_TYPES",
    EXCLUSION_BY_RESOURCE_TYPES: "EXCLUSION_BY_RESOURCE_TYPES",
    INCLUSION_BY_RESOURCE_TYPES: "INCLUSION_BY_RESOURCE_TYPES",
};
const RecordingFrequency = {
    CONTINUOUS: "CONTINUOUS",
    DAILY: "DAILY",
};
const RecordingScope = {
    INTERNAL: "INTERNAL",
    PAID: "PAID",
};
const ConfigurationItemStatus = {
    OK: "OK",
    ResourceDeleted: "ResourceDeleted",
    ResourceDeletedNotRecorded: "ResourceDeletedNotRecorded",
    ResourceDiscovered: "ResourceDiscovered",
    ResourceNotRecorded: "ResourceNotRecorded",
};
const ChronologicalOrder = {
    Forward: "Forward",
    Reverse: "Reverse",
};
const DeliveryStatus = {
    Failure: "Failure",
    Not_Applicable: "Not_Applicable",
    Success: "Success",
};
const ConfigRuleState = {
    ACTIVE: "ACTIVE",
    DELETING: "DELETING",
    DELETING_RESULTS: "DELETING_RESULTS",
    EVALUATING: "EVALUATING",
};
const MaximumExecutionFrequency = {
    One_Hour: "One_Hour",
    Six_Hours: "Six_Hours",
    Three_Hours: "Three_Hours",
    Twelve_Hours: "Twelve_Hours",
    TwentyFour_Hours: "TwentyFour_Hours",
};
const RuleEvaluationVisibility = {
    EXTERNAL: "EXTERNAL",
    INTERNAL: "INTERNAL",
};
const Owner = {
    Aws: "AWS",
    Custom_Lambda: "CUSTOM_LAMBDA",
    Custom_Policy: "CUSTOM_POLICY",
};
const EventSource = {
    Aws_Config: "aws.config",
};
const MessageType = {
    ConfigurationItemChangeNotification: "ConfigurationItemChangeNotification",
    ConfigurationSnapshotDeliveryCompleted: "ConfigurationSnapshotDeliveryCompleted",
    OversizedConfigurationItemChangeNotification: "OversizedConfigurationItemChangeNotification",
    ScheduledNotification: "ScheduledNotification",
};
const ConfigRuleComplianceSummaryGroupKey = {
    ACCOUNT_ID: "ACCOUNT_ID",
    AWS_REGION: "AWS_REGION",
};
const ConfigurationRecorderFilterName = {
    RecordingScope: "recordingScope",
};
const RecorderStatus = {
    Failure: "Failure",
    NotApplicable: "NotApplicable",
    Pending: "Pending",
    Success: "Success",
};
const Provider = {
    AZURE: "AZURE",
};
const ConformancePackState = {
    CREATE_COMPLETE: "CREATE_COMPLETE",
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
};
const ConnectorFilterName = {
    provider: "provider",
};
const OrganizationConfigRuleTriggerTypeNoSN = {
    CONFIGURATION_ITEM_CHANGE_NOTIFICATION: "ConfigurationItemChangeNotification",
    OVERSIZED_CONFIGURATION_ITEM_CHANGE_NOTIFCATION: "OversizedConfigurationItemChangeNotification",
};
const OrganizationConfigRuleTriggerType = {
    CONFIGURATION_ITEM_CHANGE_NOTIFICATION: "ConfigurationItemChangeNotification",
    OVERSIZED_CONFIGURATION_ITEM_CHANGE_NOTIFCATION: "OversizedConfigurationItemChangeNotification",
    SCHEDULED_NOTIFICATION: "ScheduledNotification",
};
const OrganizationRuleStatus = {
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    CREATE_SUCCESSFUL: "CREATE_SUCCESSFUL",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
    DELETE_SUCCESSFUL: "DELETE_SUCCESSFUL",
    UPDATE_FAILED: "UPDATE_FAILED",
    UPDATE_IN_PROGRESS: "UPDATE_IN_PROGRESS",
    UPDATE_SUCCESSFUL: "UPDATE_SUCCESSFUL",
};
const OrganizationResourceStatus = {
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    CREATE_SUCCESSFUL: "CREATE_SUCCESSFUL",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
    DELETE_SUCCESSFUL: "DELETE_SUCCESSFUL",
    UPDATE_FAILED: "UPDATE_FAILED",
    UPDATE_IN_PROGRESS: "UPDATE_IN_PROGRESS",
    UPDATE_SUCCESSFUL: "UPDATE_SUCCESSFUL",
};
const ResourceValueType = {
    RESOURCE_ID: "RESOURCE_ID",
};
const RemediationTargetType = {
    SSM_DOCUMENT: "SSM_DOCUMENT",
};
const RemediationExecutionState = {
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    QUEUED: "QUEUED",
    SUCCEEDED: "SUCCEEDED",
    UNKNOWN: "UNKNOWN",
};
const RemediationExecutionStepState = {
    EXITED: "EXITED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    PENDING: "PENDING",
    SUCCEEDED: "SUCCEEDED",
    UNKNOWN: "UNKNOWN",
};
const ResourceEvaluationStatus = {
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    SUCCEEDED: "SUCCEEDED",
};
const ResourceCountGroupKey = {
    ACCOUNT_ID: "ACCOUNT_ID",
    AWS_REGION: "AWS_REGION",
    RESOURCE_TYPE: "RESOURCE_TYPE",
};
const MemberAccountRuleStatus = {
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    CREATE_SUCCESSFUL: "CREATE_SUCCESSFUL",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
    DELETE_SUCCESSFUL: "DELETE_SUCCESSFUL",
    UPDATE_FAILED: "UPDATE_FAILED",
    UPDATE_IN_PROGRESS: "UPDATE_IN_PROGRESS",
    UPDATE_SUCCESSFUL: "UPDATE_SUCCESSFUL",
};
const OrganizationResourceDetailedStatus = {
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    CREATE_SUCCESSFUL: "CREATE_SUCCESSFUL",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
    DELETE_SUCCESSFUL: "DELETE_SUCCESSFUL",
    UPDATE_FAILED: "UPDATE_FAILED",
    UPDATE_IN_PROGRESS: "UPDATE_IN_PROGRESS",
    UPDATE_SUCCESSFUL: "UPDATE_SUCCESSFUL",
};
const ResourceConfigurationSchemaType = {
    CFN_RESOURCE_SCHEMA: "CFN_RESOURCE_SCHEMA",
};
const SortBy = {
    SCORE: "SCORE",
};
const SortOrder = {
    ASCENDING: "ASCENDING",
    DESCENDING: "DESCENDING",
};

exports.AccountAggregationSource$ = AccountAggregationSource$;
exports.AggregateComplianceByConfigRule$ = AggregateComplianceByConfigRule$;
exports.AggregateComplianceByConformancePack$ = AggregateComplianceByConformancePack$;
exports.AggregateComplianceCount$ = AggregateComplianceCount$;
exports.AggregateConformancePackCompliance$ = AggregateConformancePackCompliance$;
exports.AggregateConformancePackComplianceCount$ = AggregateConformancePackComplianceCount$;
exports.AggregateConformancePackComplianceFilters$ = AggregateConformancePackComplianceFilters$;
exports.AggregateConformancePackComplianceSummary$ = AggregateConformancePackComplianceSummary$;
exports.AggregateConformancePackComplianceSummaryFilters$ = AggregateConformancePackComplianceSummaryFilters$;
exports.AggregateConformancePackComplianceSummaryGroupKey = AggregateConformancePackComplianceSummaryGroupKey;
exports.AggregateEvaluationResult$ = AggregateEvaluationResult$;
exports.AggregateResourceIdentifier$ = AggregateResourceIdentifier$;
exports.AggregatedSourceStatus$ = AggregatedSourceStatus$;
exports.AggregatedSourceStatusType = AggregatedSourceStatusType;
exports.AggregatedSourceType = AggregatedSourceType;
exports.AggregationAuthorization$ = AggregationAuthorization$;
exports.AggregatorFilterResourceType$ = AggregatorFilterResourceType$;
exports.AggregatorFilterServicePrincipal$ = AggregatorFilterServicePrincipal$;
exports.AggregatorFilterType = AggregatorFilterType;
exports.AggregatorFilters$ = AggregatorFilters$;
exports.AssociateResourceTypes$ = AssociateResourceTypes$;
exports.AssociateResourceTypesCommand = AssociateResourceTypesCommand;
exports.AssociateResourceTypesRequest$ = AssociateResourceTypesRequest$;
exports.AssociateResourceTypesResponse$ = AssociateResourceTypesResponse$;
exports.AzureConnectorConfiguration$ = AzureConnectorConfiguration$;
exports.BaseConfigurationItem$ = BaseConfigurationItem$;
exports.BatchGetAggregateResourceConfig$ = BatchGetAggregateResourceConfig$;
exports.BatchGetAggregateResourceConfigCommand = BatchGetAggregateResourceConfigCommand;
exports.BatchGetAggregateResourceConfigRequest$ = BatchGetAggregateResourceConfigRequest$;
exports.BatchGetAggregateResourceConfigResponse$ = BatchGetAggregateResourceConfigResponse$;
exports.BatchGetResourceConfig$ = BatchGetResourceConfig$;
exports.BatchGetResourceConfigCommand = BatchGetResourceConfigCommand;
exports.BatchGetResourceConfigRequest$ = BatchGetResourceConfigRequest$;
exports.BatchGetResourceConfigResponse$ = BatchGetResourceConfigResponse$;
exports.ChronologicalOrder = ChronologicalOrder;
exports.Compliance$ = Compliance$;
exports.ComplianceByConfigRule$ = ComplianceByConfigRule$;
exports.ComplianceByResource$ = ComplianceByResource$;
exports.ComplianceContributorCount$ = ComplianceContributorCount$;
exports.ComplianceSummary$ = ComplianceSummary$;
exports.ComplianceSummaryByResourceType$ = ComplianceSummaryByResourceType$;
exports.ComplianceType = ComplianceType;
exports.ConfigExportDeliveryInfo$ = ConfigExportDeliveryInfo$;
exports.ConfigRule$ = ConfigRule$;
exports.ConfigRuleComplianceFilters$ = ConfigRuleComplianceFilters$;
exports.ConfigRuleComplianceSummaryFilters$ = ConfigRuleComplianceSummaryFilters$;
exports.ConfigRuleComplianceSummaryGroupKey = ConfigRuleComplianceSummaryGroupKey;
exports.ConfigRuleEvaluationStatus$ = ConfigRuleEvaluationStatus$;
exports.ConfigRuleState = ConfigRuleState;
exports.ConfigService = ConfigService;
exports.ConfigServiceClient = ConfigServiceClient;
exports.ConfigServiceServiceException = ConfigServiceServiceException;
exports.ConfigServiceServiceException$ = ConfigServiceServiceException$;
exports.ConfigSnapshotDeliveryProperties$ = ConfigSnapshotDeliveryProperties$;
exports.ConfigStreamDeliveryInfo$ = ConfigStreamDeliveryInfo$;
exports.ConfigurationAggregator$ = ConfigurationAggregator$;
exports.ConfigurationItem$ = ConfigurationItem$;
exports.ConfigurationItemStatus = ConfigurationItemStatus;
exports.ConfigurationRecorder$ = ConfigurationRecorder$;
exports.ConfigurationRecorderFilter$ = ConfigurationRecorderFilter$;
exports.ConfigurationRecorderFilterName = ConfigurationRecorderFilterName;
exports.ConfigurationRecorderStatus$ = ConfigurationRecorderStatus$;
exports.ConfigurationRecorderSummary$ = ConfigurationRecorderSummary$;
exports.ConflictException = ConflictException;
exports.ConflictException$ = ConflictException$;
exports.ConformancePackComplianceFilters$ = ConformancePackComplianceFilters$;
exports.ConformancePackComplianceScore$ = ConformancePackComplianceScore$;
exports.ConformancePackComplianceScoresFilters$ = ConformancePackComplianceScoresFilters$;
exports.ConformancePackComplianceSummary$ = ConformancePackComplianceSummary$;
exports.ConformancePackComplianceType = ConformancePackComplianceType;
exports.ConformancePackDetail$ = ConformancePackDetail$;
exports.ConformancePackEvaluationFilters$ = ConformancePackEvaluationFilters$;
exports.ConformancePackEvaluationResult$ = ConformancePackEvaluationResult$;
exports.ConformancePackInputParameter$ = ConformancePackInputParameter$;
exports.ConformancePackRuleCompliance$ = ConformancePackRuleCompliance$;
exports.ConformancePackState = ConformancePackState;
exports.ConformancePackStatusDetail$ = ConformancePackStatusDetail$;
exports.ConformancePackTemplateValidationException = ConformancePackTemplateValidationException;
exports.ConformancePackTemplateValidationException$ = ConformancePackTemplateValidationException$;
exports.Connector$ = Connector$;
exports.ConnectorConfiguration$ = ConnectorConfiguration$;
exports.ConnectorFilter$ = ConnectorFilter$;
exports.ConnectorFilterName = ConnectorFilterName;
exports.ConnectorSummary$ = ConnectorSummary$;
exports.CustomPolicyDetails$ = CustomPolicyDetails$;
exports.DeleteAggregationAuthorization$ = DeleteAggregationAuthorization$;
exports.DeleteAggregationAuthorizationCommand = DeleteAggregationAuthorizationCommand;
exports.DeleteAggregationAuthorizationRequest$ = DeleteAggregationAuthorizationRequest$;
exports.DeleteConfigRule$ = DeleteConfigRule$;
exports.DeleteConfigRuleCommand = DeleteConfigRuleCommand;
exports.DeleteConfigRuleRequest$ = DeleteConfigRuleRequest$;
exports.DeleteConfigurationAggregator$ = DeleteConfigurationAggregator$;
exports.DeleteConfigurationAggregatorCommand = DeleteConfigurationAggregatorCommand;
exports.DeleteConfigurationAggregatorRequest$ = DeleteConfigurationAggregatorRequest$;
exports.DeleteConfigurationRecorder$ = DeleteConfigurationRecorder$;
exports.DeleteConfigurationRecorderCommand = DeleteConfigurationRecorderCommand;
exports.DeleteConfigurationRecorderRequest$ = DeleteConfigurationRecorderRequest$;
exports.DeleteConformancePack$ = DeleteConformancePack$;
exports.DeleteConformancePackCommand = DeleteConformancePackCommand;
exports.DeleteConformancePackRequest$ = DeleteConformancePackRequest$;
exports.DeleteConnector$ = DeleteConnector$;
exports.DeleteConnectorCommand = DeleteConnectorCommand;
exports.DeleteConnectorRequest$ = DeleteConnectorRequest$;
exports.DeleteDeliveryChannel$ = DeleteDeliveryChannel$;
exports.DeleteDeliveryChannelCommand = DeleteDeliveryChannelCommand;
exports.DeleteDeliveryChannelRequest$ = DeleteDeliveryChannelRequest$;
exports.DeleteEvaluationResults$ = DeleteEvaluationResults$;
exports.DeleteEvaluationResultsCommand = DeleteEvaluationResultsCommand;
exports.DeleteEvaluationResultsRequest$ = DeleteEvaluationResultsRequest$;
exports.DeleteEvaluationResultsResponse$ = DeleteEvaluationResultsResponse$;
exports.DeleteOrganizationConfigRule$ = DeleteOrganizationConfigRule$;
exports.DeleteOrganizationConfigRuleCommand = DeleteOrganizationConfigRuleCommand;
exports.DeleteOrganizationConfigRuleRequest$ = DeleteOrganizationConfigRuleRequest$;
exports.DeleteOrganizationConformancePack$ = DeleteOrganizationConformancePack$;
exports.DeleteOrganizationConformancePackCommand = DeleteOrganizationConformancePackCommand;
exports.DeleteOrganizationConformancePackRequest$ = DeleteOrganizationConformancePackRequest$;
exports.DeletePendingAggregationRequest$ = DeletePendingAggregationRequest$;
exports.DeletePendingAggregationRequestCommand = DeletePendingAggregationRequestCommand;
exports.DeletePendingAggregationRequestRequest$ = DeletePendingAggregationRequestRequest$;
exports.DeleteRemediationConfiguration$ = DeleteRemediationConfiguration$;
exports.DeleteRemediationConfigurationCommand = DeleteRemediationConfigurationCommand;
exports.DeleteRemediationConfigurationRequest$ = DeleteRemediationConfigurationRequest$;
exports.DeleteRemediationConfigurationResponse$ = DeleteRemediationConfigurationResponse$;
exports.DeleteRemediationExceptions$ = DeleteRemediationExceptions$;
exports.DeleteRemediationExceptionsCommand = DeleteRemediationExceptionsCommand;
exports.DeleteRemediationExceptionsRequest$ = DeleteRemediationExceptionsRequest$;
exports.DeleteRemediationExceptionsResponse$ = DeleteRemediationExceptionsResponse$;
exports.DeleteResourceConfig$ = DeleteResourceConfig$;
exports.DeleteResourceConfigCommand = DeleteResourceConfigCommand;
exports.DeleteResourceConfigRequest$ = DeleteResourceConfigRequest$;
exports.DeleteRetentionConfiguration$ = DeleteRetentionConfiguration$;
exports.DeleteRetentionConfigurationCommand = DeleteRetentionConfigurationCommand;
exports.DeleteRetentionConfigurationRequest$ = DeleteRetentionConfigurationRequest$;
exports.DeleteServiceLinkedConfigurationRecorder$ = DeleteServiceLinkedConfigurationRecorder$;
exports.DeleteServiceLinkedConfigurationRecorderCommand = DeleteServiceLinkedConfigurationRecorderCommand;
exports.DeleteServiceLinkedConfigurationRecorderRequest$ = DeleteServiceLinkedConfigurationRecorderRequest$;
exports.DeleteServiceLinkedConfigurationRecorderResponse$ = DeleteServiceLinkedConfigurationRecorderResponse$;
exports.DeleteStoredQuery$ = DeleteStoredQuery$;
exports.DeleteStoredQueryCommand = DeleteStoredQueryCommand;
exports.DeleteStoredQueryRequest$ = DeleteStoredQueryRequest$;
exports.DeleteStoredQueryResponse$ = DeleteStoredQueryResponse$;
exports.DeliverConfigSnapshot$ = DeliverConfigSnapshot$;
exports.DeliverConfigSnapshotCommand = DeliverConfigSnapshotCommand;
exports.DeliverConfigSnapshotRequest$ = DeliverConfigSnapshotRequest$;
exports.DeliverConfigSnapshotResponse$ = DeliverConfigSnapshotResponse$;
exports.DeliveryChannel$ = DeliveryChannel$;
exports.DeliveryChannelStatus$ = DeliveryChannelStatus$;
exports.DeliveryStatus = DeliveryStatus;
exports.DescribeAggregateComplianceByConfigRules$ = DescribeAggregateComplianceByConfigRules$;
exports.DescribeAggregateComplianceByConfigRulesCommand = DescribeAggregateComplianceByConfigRulesCommand;
exports.DescribeAggregateComplianceByConfigRulesRequest$ = DescribeAggregateComplianceByConfigRulesRequest$;
exports.DescribeAggregateComplianceByConfigRulesResponse$ = DescribeAggregateComplianceByConfigRulesResponse$;
exports.DescribeAggregateComplianceByConformancePacks$ = DescribeAggregateComplianceByConformancePacks$;
exports.DescribeAggregateComplianceByConformancePacksCommand = DescribeAggregateComplianceByConformancePacksCommand;
exports.DescribeAggregateComplianceByConformancePacksRequest$ = DescribeAggregateComplianceByConformancePacksRequest$;
exports.DescribeAggregateComplianceByConformancePacksResponse$ = DescribeAggregateComplianceByConformancePacksResponse$;
exports.DescribeAggregationAuthorizations$ = DescribeAggregationAuthorizations$;
exports.DescribeAggregationAuthorizationsCommand = DescribeAggregationAuthorizationsCommand;
exports.DescribeAggregationAuthorizationsRequest$ = DescribeAggregationAuthorizationsRequest$;
exports.DescribeAggregationAuthorizationsResponse$ = DescribeAggregationAuthorizationsResponse$;
exports.DescribeComplianceByConfigRule$ = DescribeComplianceByConfigRule$;
exports.DescribeComplianceByConfigRuleCommand = DescribeComplianceByConfigRuleCommand;
exports.DescribeComplianceByConfigRuleRequest$ = DescribeComplianceByConfigRuleRequest$;
exports.DescribeComplianceByConfigRuleResponse$ = DescribeComplianceByConfigRuleResponse$;
exports.DescribeComplianceByResource$ = DescribeComplianceByResource$;
exports.DescribeComplianceByResourceCommand = DescribeComplianceByResourceCommand;
exports.DescribeComplianceByResourceRequest$ = DescribeComplianceByResourceRequest$;
exports.DescribeComplianceByResourceResponse$ = DescribeComplianceByResourceResponse$;
exports.DescribeConfigRuleEvaluationStatus$ = DescribeConfigRuleEvaluationStatus$;
exports.DescribeConfigRuleEvaluationStatusCommand = DescribeConfigRuleEvaluationStatusCommand;
exports.DescribeConfigRuleEvaluationStatusRequest$ = DescribeConfigRuleEvaluationStatusRequest$;
exports.DescribeConfigRuleEvaluationStatusResponse$ = DescribeConfigRuleEvaluationStatusResponse$;
exports.DescribeConfigRules$ = DescribeConfigRules$;
exports.DescribeConfigRulesCommand = DescribeConfigRulesCommand;
exports.DescribeConfigRulesFilters$ = DescribeConfigRulesFilters$;
exports.DescribeConfigRulesRequest$ = DescribeConfigRulesRequest$;
exports.DescribeConfigRulesResponse$ = DescribeConfigRulesResponse$;
exports.DescribeConfigurationAggregatorSourcesStatus$ = DescribeConfigurationAggregatorSourcesStatus$;
exports.DescribeConfigurationAggregatorSourcesStatusCommand = DescribeConfigurationAggregatorSourcesStatusCommand;
exports.DescribeConfigurationAggregatorSourcesStatusRequest$ = DescribeConfigurationAggregatorSourcesStatusRequest$;
exports.DescribeConfigurationAggregatorSourcesStatusResponse$ = DescribeConfigurationAggregatorSourcesStatusResponse$;
exports.DescribeConfigurationAggregators$ = DescribeConfigurationAggregators$;
exports.DescribeConfigurationAggregatorsCommand = DescribeConfigurationAggregatorsCommand;
exports.DescribeConfigurationAggregatorsRequest$ = DescribeConfigurationAggregatorsRequest$;
exports.DescribeConfigurationAggregatorsResponse$ = DescribeConfigurationAggregatorsResponse$;
exports.DescribeConfigurationRecorderStatus$ = DescribeConfigurationRecorderStatus$;
exports.DescribeConfigurationRecorderStatusCommand = DescribeConfigurationRecorderStatusCommand;
exports.DescribeConfigurationRecorderStatusRequest$ = DescribeConfigurationRecorderStatusRequest$;
exports.DescribeConfigurationRecorderStatusResponse$ = DescribeConfigurationRecorderStatusResponse$;
exports.DescribeConfigurationRecorders$ = DescribeConfigurationRecorders$;
exports.DescribeConfigurationRecordersCommand = DescribeConfigurationRecordersCommand;
exports.DescribeConfigurationRecordersRequest$ = DescribeConfigurationRecordersRequest$;
exports.DescribeConfigurationRecordersResponse$ = DescribeConfigurationRecordersResponse$;
exports.DescribeConformancePackCompliance$ = DescribeConformancePackCompliance$;
exports.DescribeConformancePackComplianceCommand = DescribeConformancePackComplianceCommand;
exports.DescribeConformancePackComplianceRequest$ = DescribeConformancePackComplianceRequest$;
exports.DescribeConformancePackComplianceResponse$ = DescribeConformancePackComplianceResponse$;
exports.DescribeConformancePackStatus$ = DescribeConformancePackStatus$;
exports.DescribeConformancePackStatusCommand = DescribeConformancePackStatusCommand;
exports.DescribeConformancePackStatusRequest$ = DescribeConformancePackStatusRequest$;
exports.DescribeConformancePackStatusResponse$ = DescribeConformancePackStatusResponse$;
exports.DescribeConformancePacks$ = DescribeConformancePacks$;
exports.DescribeConformancePacksCommand = DescribeConformancePacksCommand;
exports.DescribeConformancePacksRequest$ = DescribeConformancePacksRequest$;
exports.DescribeConformancePacksResponse$ = DescribeConformancePacksResponse$;
exports.DescribeDeliveryChannelStatus$ = DescribeDeliveryChannelStatus$;
exports.DescribeDeliveryChannelStatusCommand = DescribeDeliveryChannelStatusCommand;
exports.DescribeDeliveryChannelStatusRequest$ = DescribeDeliveryChannelStatusRequest$;
exports.DescribeDeliveryChannelStatusResponse$ = DescribeDeliveryChannelStatusResponse$;
exports.DescribeDeliveryChannels$ = DescribeDeliveryChannels$;
exports.DescribeDeliveryChannelsCommand = DescribeDeliveryChannelsCommand;
exports.DescribeDeliveryChannelsRequest$ = DescribeDeliveryChannelsRequest$;
exports.DescribeDeliveryChannelsResponse$ = DescribeDeliveryChannelsResponse$;
exports.DescribeOrganizationConfigRuleStatuses$ = DescribeOrganizationConfigRuleStatuses$;
exports.DescribeOrganizationConfigRuleStatusesCommand = DescribeOrganizationConfigRuleStatusesCommand;
exports.DescribeOrganizationConfigRuleStatusesRequest$ = DescribeOrganizationConfigRuleStatusesRequest$;
exports.DescribeOrganizationConfigRuleStatusesResponse$ = DescribeOrganizationConfigRuleStatusesResponse$;
exports.DescribeOrganizationConfigRules$ = DescribeOrganizationConfigRules$;
exports.DescribeOrganizationConfigRulesCommand = DescribeOrganizationConfigRulesCommand;
exports.DescribeOrganizationConfigRulesRequest$ = DescribeOrganizationConfigRulesRequest$;
exports.DescribeOrganizationConfigRulesResponse$ = DescribeOrganizationConfigRulesResponse$;
exports.DescribeOrganizationConformancePackStatuses$ = DescribeOrganizationConformancePackStatuses$;
exports.DescribeOrganizationConformancePackStatusesCommand = DescribeOrganizationConformancePackStatusesCommand;
exports.DescribeOrganizationConformancePackStatusesRequest$ = DescribeOrganizationConformancePackStatusesRequest$;
exports.DescribeOrganizationConformancePackStatusesResponse$ = DescribeOrganizationConformancePackStatusesResponse$;
exports.DescribeOrganizationConformancePacks$ = DescribeOrganizationConformancePacks$;
exports.DescribeOrganizationConformancePacksCommand = DescribeOrganizationConformancePacksCommand;
exports.DescribeOrganizationConformancePacksRequest$ = DescribeOrganizationConformancePacksRequest$;
exports.DescribeOrganizationConformancePacksResponse$ = DescribeOrganizationConformancePacksResponse$;
exports.DescribePendingAggregationRequests$ = DescribePendingAggregationRequests$;
exports.DescribePendingAggregationRequestsCommand = DescribePendingAggregationRequestsCommand;
exports.DescribePendingAggregationRequestsRequest$ = DescribePendingAggregationRequestsRequest$;
exports.DescribePendingAggregationRequestsResponse$ = DescribePendingAggregationRequestsResponse$;
exports.DescribeRemediationConfigurations$ = DescribeRemediationConfigurations$;
exports.DescribeRemediationConfigurationsCommand = DescribeRemediationConfigurationsCommand;
exports.DescribeRemediationConfigurationsRequest$ = DescribeRemediationConfigurationsRequest$;
exports.DescribeRemediationConfigurationsResponse$ = DescribeRemediationConfigurationsResponse$;
exports.DescribeRemediationExceptions$ = DescribeRemediationExceptions$;
exports.DescribeRemediationExceptionsCommand = DescribeRemediationExceptionsCommand;
exports.DescribeRemediationExceptionsRequest$ = DescribeRemediationExceptionsRequest$;
exports.DescribeRemediationExceptionsResponse$ = DescribeRemediationExceptionsResponse$;
exports.DescribeRemediationExecutionStatus$ = DescribeRemediationExecutionStatus$;
exports.DescribeRemediationExecutionStatusCommand = DescribeRemediationExecutionStatusCommand;
exports.DescribeRemediationExecutionStatusRequest$ = DescribeRemediationExecutionStatusRequest$;
exports.DescribeRemediationExecutionStatusResponse$ = DescribeRemediationExecutionStatusResponse$;
exports.DescribeRetentionConfigurations$ = DescribeRetentionConfigurations$;
exports.DescribeRetentionConfigurationsCommand = DescribeRetentionConfigurationsCommand;
exports.DescribeRetentionConfigurationsRequest$ = DescribeRetentionConfigurationsRequest$;
exports.DescribeRetentionConfigurationsResponse$ = DescribeRetentionConfigurationsResponse$;
exports.DisassociateResourceTypes$ = DisassociateResourceTypes$;
exports.DisassociateResourceTypesCommand = DisassociateResourceTypesCommand;
exports.DisassociateResourceTypesRequest$ = DisassociateResourceTypesRequest$;
exports.DisassociateResourceTypesResponse$ = DisassociateResourceTypesResponse$;
exports.Evaluation$ = Evaluation$;
exports.EvaluationContext$ = EvaluationContext$;
exports.EvaluationMode = EvaluationMode;
exports.EvaluationModeConfiguration$ = EvaluationModeConfiguration$;
exports.EvaluationResult$ = EvaluationResult$;
exports.EvaluationResultIdentifier$ = EvaluationResultIdentifier$;
exports.EvaluationResultQualifier$ = EvaluationResultQualifier$;
exports.EvaluationStatus$ = EvaluationStatus$;
exports.EventSource = EventSource;
exports.ExclusionByResourceTypes$ = ExclusionByResourceTypes$;
exports.ExecutionControls$ = ExecutionControls$;
exports.ExternalEvaluation$ = ExternalEvaluation$;
exports.FailedDeleteRemediationExceptionsBatch$ = FailedDeleteRemediationExceptionsBatch$;
exports.FailedRemediationBatch$ = FailedRemediationBatch$;
exports.FailedRemediationExceptionBatch$ = FailedRemediationExceptionBatch$;
exports.FieldInfo$ = FieldInfo$;
exports.GetAggregateComplianceDetailsByConfigRule$ = GetAggregateComplianceDetailsByConfigRule$;
exports.GetAggregateComplianceDetailsByConfigRuleCommand = GetAggregateComplianceDetailsByConfigRuleCommand;
exports.GetAggregateComplianceDetailsByConfigRuleRequest$ = GetAggregateComplianceDetailsByConfigRuleRequest$;
exports.GetAggregateComplianceDetailsByConfigRuleResponse$ = GetAggregateComplianceDetailsByConfigRuleResponse$;
exports.GetAggregateConfigRuleComplianceSummary$ = GetAggregateConfigRuleComplianceSummary$;
exports.GetAggregateConfigRuleComplianceSummaryCommand = GetAggregateConfigRuleComplianceSummaryCommand;
exports.GetAggregateConfigRuleComplianceSummaryRequest$ = GetAggregateConfigRuleComplianceSummaryRequest$;
exports.GetAggregateConfigRuleComplianceSummaryResponse$ = GetAggregateConfigRuleComplianceSummaryResponse$;
exports.GetAggregateConformancePackComplianceSummary$ = GetAggregateConformancePackComplianceSummary$;
exports.GetAggregateConformancePackComplianceSummaryCommand = GetAggregateConformancePackComplianceSummaryCommand;
exports.GetAggregateConformancePackComplianceSummaryRequest$ = GetAggregateConformancePackComplianceSummaryRequest$;
exports.GetAggregateConformancePackComplianceSummaryResponse$ = GetAggregateConformancePackComplianceSummaryResponse$;
exports.GetAggregateDiscoveredResourceCounts$ = GetAggregateDiscoveredResourceCounts$;
exports.GetAggregateDiscoveredResourceCountsCommand = GetAggregateDiscoveredResourceCountsCommand;
exports.GetAggregateDiscoveredResourceCountsRequest$ = GetAggregateDiscoveredResourceCountsRequest$;
exports.GetAggregateDiscoveredResourceCountsResponse$ = GetAggregateDiscoveredResourceCountsResponse$;
exports.GetAggregateResourceConfig$ = GetAggregateResourceConfig$;
exports.GetAggregateResourceConfigCommand = GetAggregateResourceConfigCommand;
exports.GetAggregateResourceConfigRequest$ = GetAggregateResourceConfigRequest$;
exports.GetAggregateResourceConfigResponse$ = GetAggregateResourceConfigResponse$;
exports.GetComplianceDetailsByConfigRule$ = GetComplianceDetailsByConfigRule$;
exports.GetComplianceDetailsByConfigRuleCommand = GetComplianceDetailsByConfigRuleCommand;
exports.GetComplianceDetailsByConfigRuleRequest$ = GetComplianceDetailsByConfigRuleRequest$;
exports.GetComplianceDetailsByConfigRuleResponse$ = GetComplianceDetailsByConfigRuleResponse$;
exports.GetComplianceDetailsByResource$ = GetComplianceDetailsByResource$;
exports.GetComplianceDetailsByResourceCommand = GetComplianceDetailsByResourceCommand;
exports.GetComplianceDetailsByResourceRequest$ = GetComplianceDetailsByResourceRequest$;
exports.GetComplianceDetailsByResourceResponse$ = GetComplianceDetailsByResourceResponse$;
exports.GetComplianceSummaryByConfigRule$ = GetComplianceSummaryByConfigRule$;
exports.GetComplianceSummaryByConfigRuleCommand = GetComplianceSummaryByConfigRuleCommand;
exports.GetComplianceSummaryByConfigRuleResponse$ = GetComplianceSummaryByConfigRuleResponse$;
exports.GetComplianceSummaryByResourceType$ = GetComplianceSummaryByResourceType$;
exports.GetComplianceSummaryByResourceTypeCommand = GetComplianceSummaryByResourceTypeCommand;
exports.GetComplianceSummaryByResourceTypeRequest$ = GetComplianceSummaryByResourceTypeRequest$;
exports.GetComplianceSummaryByResourceTypeResponse$ = GetComplianceSummaryByResourceTypeResponse$;
exports.GetConformancePackComplianceDetails$ = GetConformancePackComplianceDetails$;
exports.GetConformancePackComplianceDetailsCommand = GetConformancePackComplianceDetailsCommand;
exports.GetConformancePackComplianceDetailsRequest$ = GetConformancePackComplianceDetailsRequest$;
exports.GetConformancePackComplianceDetailsResponse$ = GetConformancePackComplianceDetailsResponse$;
exports.GetConformancePackComplianceSummary$ = GetConformancePackComplianceSummary$;
exports.GetConformancePackComplianceSummaryCommand = GetConformancePackComplianceSummaryCommand;
exports.GetConformancePackComplianceSummaryRequest$ = GetConformancePackComplianceSummaryRequest$;
exports.GetConformancePackComplianceSummaryResponse$ = GetConformancePackComplianceSummaryResponse$;
exports.GetConnector$ = GetConnector$;
exports.GetConnectorCommand = GetConnectorCommand;
exports.GetConnectorRequest$ = GetConnectorRequest$;
exports.GetConnectorResponse$ = GetConnectorResponse$;
exports.GetCustomRulePolicy$ = GetCustomRulePolicy$;
exports.GetCustomRulePolicyCommand = GetCustomRulePolicyCommand;
exports.GetCustomRulePolicyRequest$ = GetCustomRulePolicyRequest$;
exports.GetCustomRulePolicyResponse$ = GetCustomRulePolicyResponse$;
exports.GetDiscoveredResourceCounts$ = GetDiscoveredResourceCounts$;
exports.GetDiscoveredResourceCountsCommand = GetDiscoveredResourceCountsCommand;
exports.GetDiscoveredResourceCountsRequest$ = GetDiscoveredResourceCountsRequest$;
exports.GetDiscoveredResourceCountsResponse$ = GetDiscoveredResourceCountsResponse$;
exports.GetOrganizationConfigRuleDetailedStatus$ = GetOrganizationConfigRuleDetailedStatus$;
exports.GetOrganizationConfigRuleDetailedStatusCommand = GetOrganizationConfigRuleDetailedStatusCommand;
exports.GetOrganizationConfigRuleDetailedStatusRequest$ = GetOrganizationConfigRuleDetailedStatusRequest$;
exports.GetOrganizationConfigRuleDetailedStatusResponse$ = GetOrganizationConfigRuleDetailedStatusResponse$;
exports.GetOrganizationConformancePackDetailedStatus$ = GetOrganizationConformancePackDetailedStatus$;
exports.GetOrganizationConformancePackDetailedStatusCommand = GetOrganizationConformancePackDetailedStatusCommand;
exports.GetOrganizationConformancePackDetailedStatusRequest$ = GetOrganizationConformancePackDetailedStatusRequest$;
exports.GetOrganizationConformancePackDetailedStatusResponse$ = GetOrganizationConformancePackDetailedStatusResponse$;
exports.GetOrganizationCustomRulePolicy$ = GetOrganizationCustomRulePolicy$;
exports.GetOrganizationCustomRulePolicyCommand = GetOrganizationCustomRulePolicyCommand;
exports.GetOrganizationCustomRulePolicyRequest$ = GetOrganizationCustomRulePolicyRequest$;
exports.GetOrganizationCustomRulePolicyResponse$ = GetOrganizationCustomRulePolicyResponse$;
exports.GetResourceConfigHistory$ = GetResourceConfigHistory$;
exports.GetResourceConfigHistoryCommand = GetResourceConfigHistoryCommand;
exports.GetResourceConfigHistoryRequest$ = GetResourceConfigHistoryRequest$;
exports.GetResourceConfigHistoryResponse$ = GetResourceConfigHistoryResponse$;
exports.GetResourceEvaluationSummary$ = GetResourceEvaluationSummary$;
exports.GetResourceEvaluationSummaryCommand = GetResourceEvaluationSummaryCommand;
exports.GetResourceEvaluationSummaryRequest$ = GetResourceEvaluationSummaryRequest$;
exports.GetResourceEvaluationSummaryResponse$ = GetResourceEvaluationSummaryResponse$;
exports.GetStoredQuery$ = GetStoredQuery$;
exports.GetStoredQueryCommand = GetStoredQueryCommand;
exports.GetStoredQueryRequest$ = GetStoredQueryRequest$;
exports.GetStoredQueryResponse$ = GetStoredQueryResponse$;
exports.GroupedResourceCount$ = GroupedResourceCount$;
exports.IdempotentParameterMismatch = IdempotentParameterMismatch;
exports.IdempotentParameterMismatch$ = IdempotentParameterMismatch$;
exports.InsufficientDeliveryPolicyException = InsufficientDeliveryPolicyException;
exports.InsufficientDeliveryPolicyException$ = InsufficientDeliveryPolicyException$;
exports.InsufficientPermissionsException = InsufficientPermissionsException;
exports.InsufficientPermissionsException$ = InsufficientPermissionsException$;
exports.InvalidConfigurationRecorderNameException = InvalidConfigurationRecorderNameException;
exports.InvalidConfigurationRecorderNameException$ = InvalidConfigurationRecorderNameException$;
exports.InvalidDeliveryChannelNameException = InvalidDeliveryChannelNameException;
exports.InvalidDeliveryChannelNameException$ = InvalidDeliveryChannelNameException$;
exports.InvalidExpressionException = InvalidExpressionException;
exports.InvalidExpressionException$ = InvalidExpressionException$;
exports.InvalidLimitException = InvalidLimitException;
exports.InvalidLimitException$ = InvalidLimitException$;
exports.InvalidNextTokenException = InvalidNextTokenException;
exports.InvalidNextTokenException$ = InvalidNextTokenException$;
exports.InvalidParameterValueException = InvalidParameterValueException;
exports.InvalidParameterValueException$ = InvalidParameterValueException$;
exports.InvalidRecordingGroupException = InvalidRecordingGroupException;
exports.InvalidRecordingGroupException$ = InvalidRecordingGroupException$;
exports.InvalidResultTokenException = InvalidResultTokenException;
exports.InvalidResultTokenException$ = InvalidResultTokenException$;
exports.InvalidRoleException = InvalidRoleException;
exports.InvalidRoleException$ = InvalidRoleException$;
exports.InvalidS3KeyPrefixException = InvalidS3KeyPrefixException;
exports.InvalidS3KeyPrefixException$ = InvalidS3KeyPrefixException$;
exports.InvalidS3KmsKeyArnException = InvalidS3KmsKeyArnException;
exports.InvalidS3KmsKeyArnException$ = InvalidS3KmsKeyArnException$;
exports.InvalidSNSTopicARNException = InvalidSNSTopicARNException;
exports.InvalidSNSTopicARNException$ = InvalidSNSTopicARNException$;
exports.InvalidTimeRangeException = InvalidTimeRangeException;
exports.InvalidTimeRangeException$ = InvalidTimeRangeException$;
exports.LastDeliveryChannelDeleteFailedException = LastDeliveryChannelDeleteFailedException;
exports.LastDeliveryChannelDeleteFailedException$ = LastDeliveryChannelDeleteFailedException$;
exports.LimitExceededException = LimitExceededException;
exports.LimitExceededException$ = LimitExceededException$;
exports.ListAggregateDiscoveredResources$ = ListAggregateDiscoveredResources$;
exports.ListAggregateDiscoveredResourcesCommand = ListAggregateDiscoveredResourcesCommand;
exports.ListAggregateDiscoveredResourcesRequest$ = ListAggregateDiscoveredResourcesRequest$;
exports.ListAggregateDiscoveredResourcesResponse$ = ListAggregateDiscoveredResourcesResponse$;
exports.ListConfigurationRecorders$ = ListConfigurationRecorders$;
exports.ListConfigurationRecordersCommand = ListConfigurationRecordersCommand;
exports.ListConfigurationRecordersRequest$ = ListConfigurationRecordersRequest$;
exports.ListConfigurationRecordersResponse$ = ListConfigurationRecordersResponse$;
exports.ListConformancePackComplianceScores$ = ListConformancePackComplianceScores$;
exports.ListConformancePackComplianceScoresCommand = ListConformancePackComplianceScoresCommand;
exports.ListConformancePackComplianceScoresRequest$ = ListConformancePackComplianceScoresRequest$;
exports.ListConformancePackComplianceScoresResponse$ = ListConformancePackComplianceScoresResponse$;
exports.ListConnectors$ = ListConnectors$;
exports.ListConnectorsCommand = ListConnectorsCommand;
exports.ListConnectorsRequest$ = ListConnectorsRequest$;
exports.ListConnectorsResponse$ = ListConnectorsResponse$;
exports.ListDiscoveredResources$ = ListDiscoveredResources$;
exports.ListDiscoveredResourcesCommand = ListDiscoveredResourcesCommand;
exports.ListDiscoveredResourcesRequest$ = ListDiscoveredResourcesRequest$;
exports.ListDiscoveredResourcesResponse$ = ListDiscoveredResourcesResponse$;
exports.ListResourceEvaluations$ = ListResourceEvaluations$;
exports.ListResourceEvaluationsCommand = ListResourceEvaluationsCommand;
exports.ListResourceEvaluationsRequest$ = ListResourceEvaluationsRequest$;
exports.ListResourceEvaluationsResponse$ = ListResourceEvaluationsResponse$;
exports.ListStoredQueries$ = ListStoredQueries$;
exports.ListStoredQueriesCommand = ListStoredQueriesCommand;
exports.ListStoredQueriesRequest$ = ListStoredQueriesRequest$;
exports.ListStoredQueriesResponse$ = ListStoredQueriesResponse$;
exports.ListTagsForResource$ = ListTagsForResource$;
exports.ListTagsForResourceCommand = ListTagsForResourceCommand;
exports.ListTagsForResourceRequest$ = ListTagsForResourceRequest$;
exports.ListTagsForResourceResponse$ = ListTagsForResourceResponse$;
exports.MaxActiveResourcesExceededException = MaxActiveResourcesExceededException;
exports.MaxActiveResourcesExceededException$ = MaxActiveResourcesExceededException$;
exports.MaxNumberOfConfigRulesExceededException = MaxNumberOfConfigRulesExceededException;
exports.MaxNumberOfConfigRulesExceededException$ = MaxNumberOfConfigRulesExceededException$;
exports.MaxNumberOfConfigurationRecordersExceededException = MaxNumberOfConfigurationRecordersExceededException;
exports.MaxNumberOfConfigurationRecordersExceededException$ = MaxNumberOfConfigurationRecordersExceededException$;
exports.MaxNumberOfConformancePacksExceededException = MaxNumberOfConformancePacksExceededException;
exports.MaxNumberOfConformancePacksExceededException$ = MaxNumberOfConformancePacksExceededException$;
exports.MaxNumberOfConnectorsExceededException = MaxNumberOfConnectorsExceededException;
exports.MaxNumberOfConnectorsExceededException$ = MaxNumberOfConnectorsExceededException$;
exports.MaxNumberOfDeliveryChannelsExceededException = MaxNumberOfDeliveryChannelsExceededException;
exports.MaxNumberOfDeliveryChannelsExceededException$ = MaxNumberOfDeliveryChannelsExceededException$;
exports.MaxNumberOfOrganizationConfigRulesExceededException = MaxNumberOfOrganizationConfigRulesExceededException;
exports.MaxNumberOfOrganizationConfigRulesExceededException$ = MaxNumberOfOrganizationConfigRulesExceededException$;
exports.MaxNumberOfOrganizationConformancePacksExceededException = MaxNumberOfOrganizationConformancePacksExceededException;
exports.MaxNumberOfOrganizationConformancePacksExceededException$ = MaxNumberOfOrganizationConformancePacksExceededException$;
exports.MaxNumberOfRetentionConfigurationsExceededException = MaxNumberOfRetentionConfigurationsExceededException;
exports.MaxNumberOfRetentionConfigurationsExceededException$ = MaxNumberOfRetentionConfigurationsExceededException$;
exports.MaximumExecutionFrequency = MaximumExecutionFrequency;
exports.MemberAccountRuleStatus = MemberAccountRuleStatus;
exports.MemberAccountStatus$ = MemberAccountStatus$;
exports.MessageType = MessageType;
exports.NoAvailableConfigurationRecorderException = NoAvailableConfigurationRecorderException;
exports.NoAvailableConfigurationRecorderException$ = NoAvailableConfigurationRecorderException$;
exports.NoAvailableDeliveryChannelException = NoAvailableDeliveryChannelException;
exports.NoAvailableDeliveryChannelException$ = NoAvailableDeliveryChannelException$;
exports.NoAvailableOrganizationException = NoAvailableOrganizationException;
exports.NoAvailableOrganizationException$ = NoAvailableOrganizationException$;
exports.NoRunningConfigurationRecorderException = NoRunningConfigurationRecorderException;
exports.NoRunningConfigurationRecorderException$ = NoRunningConfigurationRecorderException$;
exports.NoSuchBucketException = NoSuchBucketException;
exports.NoSuchBucketException$ = NoSuchBucketException$;
exports.NoSuchConfigRuleException = NoSuchConfigRuleException;
exports.NoSuchConfigRuleException$ = NoSuchConfigRuleException$;
exports.NoSuchConfigRuleInConformancePackException = NoSuchConfigRuleInConformancePackException;
exports.NoSuchConfigRuleInConformancePackException$ = NoSuchConfigRuleInConformancePackException$;
exports.NoSuchConfigurationAggregatorException = NoSuchConfigurationAggregatorException;
exports.NoSuchConfigurationAggregatorException$ = NoSuchConfigurationAggregatorException$;
exports.NoSuchConfigurationRecorderException = NoSuchConfigurationRecorderException;
exports.NoSuchConfigurationRecorderException$ = NoSuchConfigurationRecorderException$;
exports.NoSuchConformancePackException = NoSuchConformancePackException;
exports.NoSuchConformancePackException$ = NoSuchConformancePackException$;
exports.NoSuchDeliveryChannelException = NoSuchDeliveryChannelException;
exports.NoSuchDeliveryChannelException$ = NoSuchDeliveryChannelException$;
exports.NoSuchOrganizationConfigRuleException = NoSuchOrganizationConfigRuleException;
exports.NoSuchOrganizationConfigRuleException$ = NoSuchOrganizationConfigRuleException$;
exports.NoSuchOrganizationConformancePackException = NoSuchOrganizationConformancePackException;
exports.NoSuchOrganizationConformancePackException$ = NoSuchOrganizationConformancePackException$;
exports.NoSuchRemediationConfigurationException = NoSuchRemediationConfigurationException;
exports.NoSuchRemediationConfigurationException$ = NoSuchRemediationConfigurationException$;
exports.NoSuchRemediationExceptionException = NoSuchRemediationExceptionException;
exports.NoSuchRemediationExceptionException$ = NoSuchRemediationExceptionException$;
exports.NoSuchRetentionConfigurationException = NoSuchRetentionConfigurationException;
exports.NoSuchRetentionConfigurationException$ = NoSuchRetentionConfigurationException$;
exports.OrganizationAccessDeniedException = OrganizationAccessDeniedException;
exports.OrganizationAccessDeniedException$ = OrganizationAccessDeniedException$;
exports.OrganizationAggregationSource$ = OrganizationAggregationSource$;
exports.OrganizationAllFeaturesNotEnabledException = OrganizationAllFeaturesNotEnabledException;
exports.OrganizationAllFeaturesNotEnabledException$ = OrganizationAllFeaturesNotEnabledException$;
exports.OrganizationConfigRule$ = OrganizationConfigRule$;
exports.OrganizationConfigRuleStatus$ = OrganizationConfigRuleStatus$;
exports.OrganizationConfigRuleTriggerType = OrganizationConfigRuleTriggerType;
exports.OrganizationConfigRuleTriggerTypeNoSN = OrganizationConfigRuleTriggerTypeNoSN;
exports.OrganizationConformancePack$ = OrganizationConformancePack$;
exports.OrganizationConformancePackDetailedStatus$ = OrganizationConformancePackDetailedStatus$;
exports.OrganizationConformancePackStatus$ = OrganizationConformancePackStatus$;
exports.OrganizationConformancePackTemplateValidationException = OrganizationConformancePackTemplateValidationException;
exports.OrganizationConformancePackTemplateValidationException$ = OrganizationConformancePackTemplateValidationException$;
exports.OrganizationCustomPolicyRuleMetadata$ = OrganizationCustomPolicyRuleMetadata$;
exports.OrganizationCustomPolicyRuleMetadataNoPolicy$ = OrganizationCustomPolicyRuleMetadataNoPolicy$;
exports.OrganizationCustomRuleMetadata$ = OrganizationCustomRuleMetadata$;
exports.OrganizationManagedRuleMetadata$ = OrganizationManagedRuleMetadata$;
exports.OrganizationResourceDetailedStatus = OrganizationResourceDetailedStatus;
exports.OrganizationResourceDetailedStatusFilters$ = OrganizationResourceDetailedStatusFilters$;
exports.OrganizationResourceStatus = OrganizationResourceStatus;
exports.OrganizationRuleStatus = OrganizationRuleStatus;
exports.OversizedConfigurationItemException = OversizedConfigurationItemException;
exports.OversizedConfigurationItemException$ = OversizedConfigurationItemException$;
exports.Owner = Owner;
exports.PendingAggregationRequest$ = PendingAggregationRequest$;
exports.Provider = Provider;
exports.PutAggregationAuthorization$ = PutAggregationAuthorization$;
exports.PutAggregationAuthorizationCommand = PutAggregationAuthorizationCommand;
exports.PutAggregationAuthorizationRequest$ = PutAggregationAuthorizationRequest$;
exports.PutAggregationAuthorizationResponse$ = PutAggregationAuthorizationResponse$;
exports.PutConfigRule$ = PutConfigRule$;
exports.PutConfigRuleCommand = PutConfigRuleCommand;
exports.PutConfigRuleRequest$ = PutConfigRuleRequest$;
exports.PutConfigurationAggregator$ = PutConfigurationAggregator$;
exports.PutConfigurationAggregatorCommand = PutConfigurationAggregatorCommand;
exports.PutConfigurationAggregatorRequest$ = PutConfigurationAggregatorRequest$;
exports.PutConfigurationAggregatorResponse$ = PutConfigurationAggregatorResponse$;
exports.PutConfigurationRecorder$ = PutConfigurationRecorder$;
exports.PutConfigurationRecorderCommand = PutConfigurationRecorderCommand;
exports.PutConfigurationRecorderRequest$ = PutConfigurationRecorderRequest$;
exports.PutConformancePack$ = PutConformancePack$;
exports.PutConformancePackCommand = PutConformancePackCommand;
exports.PutConformancePackRequest$ = PutConformancePackRequest$;
exports.PutConformancePackResponse$ = PutConformancePackResponse$;
exports.PutConnector$ = PutConnector$;
exports.PutConnectorCommand = PutConnectorCommand;
exports.PutConnectorRequest$ = PutConnectorRequest$;
exports.PutConnectorResponse$ = PutConnectorResponse$;
exports.PutDeliveryChannel$ = PutDeliveryChannel$;
exports.PutDeliveryChannelCommand = PutDeliveryChannelCommand;
exports.PutDeliveryChannelRequest$ = PutDeliveryChannelRequest$;
exports.PutEvaluations$ = PutEvaluations$;
exports.PutEvaluationsCommand = PutEvaluationsCommand;
exports.PutEvaluationsRequest$ = PutEvaluationsRequest$;
exports.PutEvaluationsResponse$ = PutEvaluationsResponse$;
exports.PutExternalEvaluation$ = PutExternalEvaluation$;
exports.PutExternalEvaluationCommand = PutExternalEvaluationCommand;
exports.PutExternalEvaluationRequest$ = PutExternalEvaluationRequest$;
exports.PutExternalEvaluationResponse$ = PutExternalEvaluationResponse$;
exports.PutOrganizationConfigRule$ = PutOrganizationConfigRule$;
exports.PutOrganizationConfigRuleCommand = PutOrganizationConfigRuleCommand;
exports.PutOrganizationConfigRuleRequest$ = PutOrganizationConfigRuleRequest$;
exports.PutOrganizationConfigRuleResponse$ = PutOrganizationConfigRuleResponse$;
exports.PutOrganizationConformancePack$ = PutOrganizationConformancePack$;
exports.PutOrganizationConformancePackCommand = PutOrganizationConformancePackCommand;
exports.PutOrganizationConformancePackRequest$ = PutOrganizationConformancePackRequest$;
exports.PutOrganizationConformancePackResponse$ = PutOrganizationConformancePackResponse$;
exports.PutRemediationConfigurations$ = PutRemediationConfigurations$;
exports.PutRemediationConfigurationsCommand = PutRemediationConfigurationsCommand;
exports.PutRemediationConfigurationsRequest$ = PutRemediationConfigurationsRequest$;
exports.PutRemediationConfigurationsResponse$ = PutRemediationConfigurationsResponse$;
exports.PutRemediationExceptions$ = PutRemediationExceptions$;
exports.PutRemediationExceptionsCommand = PutRemediationExceptionsCommand;
exports.PutRemediationExceptionsRequest$ = PutRemediationExceptionsRequest$;
exports.PutRemediationExceptionsResponse$ = PutRemediationExceptionsResponse$;
exports.PutResourceConfig$ = PutResourceConfig$;
exports.PutResourceConfigCommand = PutResourceConfigCommand;
exports.PutResourceConfigRequest$ = PutResourceConfigRequest$;
exports.PutRetentionConfiguration$ = PutRetentionConfiguration$;
exports.PutRetentionConfigurationCommand = PutRetentionConfigurationCommand;
exports.PutRetentionConfigurationRequest$ = PutRetentionConfigurationRequest$;
exports.PutRetentionConfigurationResponse$ = PutRetentionConfigurationResponse$;
exports.PutServiceLinkedConfigurationRecorder$ = PutServiceLinkedConfigurationRecorder$;
exports.PutServiceLinkedConfigurationRecorderCommand = PutServiceLinkedConfigurationRecorderCommand;
exports.PutServiceLinkedConfigurationRecorderRequest$ = PutServiceLinkedConfigurationRecorderRequest$;
exports.PutServiceLinkedConfigurationRecorderResponse$ = PutServiceLinkedConfigurationRecorderResponse$;
exports.PutStoredQuery$ = PutStoredQuery$;
exports.PutStoredQueryCommand = PutStoredQueryCommand;
exports.PutStoredQueryRequest$ = PutStoredQueryRequest$;
exports.PutStoredQueryResponse$ = PutStoredQueryResponse$;
exports.PutThirdPartyServiceLinkedConfigurationRecorder$ = PutThirdPartyServiceLinkedConfigurationRecorder$;
exports.PutThirdPartyServiceLinkedConfigurationRecorderCommand = PutThirdPartyServiceLinkedConfigurationRecorderCommand;
exports.PutThirdPartyServiceLinkedConfigurationRecorderRequest$ = PutThirdPartyServiceLinkedConfigurationRecorderRequest$;
exports.PutThirdPartyServiceLinkedConfigurationRecorderResponse$ = PutThirdPartyServiceLinkedConfigurationRecorderResponse$;
exports.QueryInfo$ = QueryInfo$;
exports.RecorderStatus = RecorderStatus;
exports.RecordingFrequency = RecordingFrequency;
exports.RecordingGroup$ = RecordingGroup$;
exports.RecordingMode$ = RecordingMode$;
exports.RecordingModeOverride$ = RecordingModeOverride$;
exports.RecordingScope = RecordingScope;
exports.RecordingStrategy$ = RecordingStrategy$;
exports.RecordingStrategyType = RecordingStrategyType;
exports.Relationship$ = Relationship$;
exports.RemediationConfiguration$ = RemediationConfiguration$;
exports.RemediationException$ = RemediationException$;
exports.RemediationExceptionResourceKey$ = RemediationExceptionResourceKey$;
exports.RemediationExecutionState = RemediationExecutionState;
exports.RemediationExecutionStatus$ = RemediationExecutionStatus$;
exports.RemediationExecutionStep$ = RemediationExecutionStep$;
exports.RemediationExecutionStepState = RemediationExecutionStepState;
exports.RemediationInProgressException = RemediationInProgressException;
exports.RemediationInProgressException$ = RemediationInProgressException$;
exports.RemediationParameterValue$ = RemediationParameterValue$;
exports.RemediationTargetType = RemediationTargetType;
exports.ResourceConcurrentModificationException = ResourceConcurrentModificationException;
exports.ResourceConcurrentModificationException$ = ResourceConcurrentModificationException$;
exports.ResourceConfigurationSchemaType = ResourceConfigurationSchemaType;
exports.ResourceCount$ = ResourceCount$;
exports.ResourceCountFilters$ = ResourceCountFilters$;
exports.ResourceCountGroupKey = ResourceCountGroupKey;
exports.ResourceDetails$ = ResourceDetails$;
exports.ResourceEvaluation$ = ResourceEvaluation$;
exports.ResourceEvaluationFilters$ = ResourceEvaluationFilters$;
exports.ResourceEvaluationStatus = ResourceEvaluationStatus;
exports.ResourceFilters$ = ResourceFilters$;
exports.ResourceIdentifier$ = ResourceIdentifier$;
exports.ResourceInUseException = ResourceInUseException;
exports.ResourceInUseException$ = ResourceInUseException$;
exports.ResourceKey$ = ResourceKey$;
exports.ResourceNotDiscoveredException = ResourceNotDiscoveredException;
exports.ResourceNotDiscoveredException$ = ResourceNotDiscoveredException$;
exports.ResourceNotFoundException = ResourceNotFoundException;
exports.ResourceNotFoundException$ = ResourceNotFoundException$;
exports.ResourceType = ResourceType;
exports.ResourceValue$ = ResourceValue$;
exports.ResourceValueType = ResourceValueType;
exports.RetentionConfiguration$ = RetentionConfiguration$;
exports.RuleEvaluationVisibility = RuleEvaluationVisibility;
exports.Scope$ = Scope$;
exports.ScopeConfiguration$ = ScopeConfiguration$;
exports.SelectAggregateResourceConfig$ = SelectAggregateResourceConfig$;
exports.SelectAggregateResourceConfigCommand = SelectAggregateResourceConfigCommand;
exports.SelectAggregateResourceConfigRequest$ = SelectAggregateResourceConfigRequest$;
exports.SelectAggregateResourceConfigResponse$ = SelectAggregateResourceConfigResponse$;
exports.SelectResourceConfig$ = SelectResourceConfig$;
exports.SelectResourceConfigCommand = SelectResourceConfigCommand;
exports.SelectResourceConfigRequest$ = SelectResourceConfigRequest$;
exports.SelectResourceConfigResponse$ = SelectResourceConfigResponse$;
exports.SortBy = SortBy;
exports.SortOrder = SortOrder;
exports.Source$ = Source$;
exports.SourceDetail$ = SourceDetail$;
exports.SsmControls$ = SsmControls$;
exports.StartConfigRulesEvaluation$ = StartConfigRulesEvaluation$;
exports.StartConfigRulesEvaluationCommand = StartConfigRulesEvaluationCommand;
exports.StartConfigRulesEvaluationRequest$ = StartConfigRulesEvaluationRequest$;
exports.StartConfigRulesEvaluationResponse$ = StartConfigRulesEvaluationResponse$;
exports.StartConfigurationRecorder$ = StartConfigurationRecorder$;
exports.StartConfigurationRecorderCommand = StartConfigurationRecorderCommand;
exports.StartConfigurationRecorderRequest$ = StartConfigurationRecorderRequest$;
exports.StartRemediationExecution$ = StartRemediationExecution$;
exports.StartRemediationExecutionCommand = StartRemediationExecutionCommand;
exports.StartRemediationExecutionRequest$ = StartRemediationExecutionRequest$;
exports.StartRemediationExecutionResponse$ = StartRemediationExecutionResponse$;
exports.StartResourceEvaluation$ = StartResourceEvaluation$;
exports.StartResourceEvaluationCommand = StartResourceEvaluationCommand;
exports.StartResourceEvaluationRequest$ = StartResourceEvaluationRequest$;
exports.StartResourceEvaluationResponse$ = StartResourceEvaluationResponse$;
exports.StaticValue$ = StaticValue$;
exports.StatusDetailFilters$ = StatusDetailFilters$;
exports.StopConfigurationRecorder$ = StopConfigurationRecorder$;
exports.StopConfigurationRecorderCommand = StopConfigurationRecorderCommand;
exports.StopConfigurationRecorderRequest$ = StopConfigurationRecorderRequest$;
exports.StoredQuery$ = StoredQuery$;
exports.StoredQueryMetadata$ = StoredQueryMetadata$;
exports.Tag$ = Tag$;
exports.TagResource$ = TagResource$;
exports.TagResourceCommand = TagResourceCommand;
exports.TagResourceRequest$ = TagResourceRequest$;
exports.TemplateSSMDocumentDetails$ = TemplateSSMDocumentDetails$;
exports.TimeWindow$ = TimeWindow$;
exports.TooManyTagsException = TooManyTagsException;
exports.TooManyTagsException$ = TooManyTagsException$;
exports.UnmodifiableEntityException = UnmodifiableEntityException;
exports.UnmodifiableEntityException$ = UnmodifiableEntityException$;
exports.UntagResource$ = UntagResource$;
exports.UntagResourceCommand = UntagResourceCommand;
exports.UntagResourceRequest$ = UntagResourceRequest$;
exports.ValidationException = ValidationException;
exports.ValidationException$ = ValidationException$;
exports.errorTypeRegistries = errorTypeRegistries;
exports.paginateDescribeAggregateComplianceByConfigRules = paginateDescribeAggregateComplianceByConfigRules;
exports.paginateDescribeAggregateComplianceByConformancePacks = paginateDescribeAggregateComplianceByConformancePacks;
exports.paginateDescribeAggregationAuthorizations = paginateDescribeAggregationAuthorizations;
exports.paginateDescribeComplianceByConfigRule = paginateDescribeComplianceByConfigRule;
exports.paginateDescribeComplianceByResource = paginateDescribeComplianceByResource;
exports.paginateDescribeConfigRuleEvaluationStatus = paginateDescribeConfigRuleEvaluationStatus;
exports.paginateDescribeConfigRules = paginateDescribeConfigRules;
exports.paginateDescribeConfigurationAggregatorSourcesStatus = paginateDescribeConfigurationAggregatorSourcesStatus;
exports.paginateDescribeConfigurationAggregators = paginateDescribeConfigurationAggregators;
exports.paginateDescribeConformancePackCompliance = paginateDescribeConformancePackCompliance;
exports.paginateDescribeConformancePackStatus = paginateDescribeConformancePackStatus;
exports.paginateDescribeConformancePacks = paginateDescribeConformancePacks;
exports.paginateDescribeOrganizationConfigRuleStatuses = paginateDescribeOrganizationConfigRuleStatuses;
exports.paginateDescribeOrganizationConfigRules = paginateDescribeOrganizationConfigRules;
exports.paginateDescribeOrganizationConformancePackStatuses = paginateDescribeOrganizationConformancePackStatuses;
exports.paginateDescribeOrganizationConformancePacks = paginateDescribeOrganizationConformancePacks;
exports.paginateDescribePendingAggregationRequests = paginateDescribePendingAggregationRequests;
exports.paginateDescribeRemediationExceptions = paginateDescribeRemediationExceptions;
exports.paginateDescribeRemediationExecutionStatus = paginateDescribeRemediationExecutionStatus;
exports.paginateDescribeRetentionConfigurations = paginateDescribeRetentionConfigurations;
exports.paginateGetAggregateComplianceDetailsByConfigRule = paginateGetAggregateComplianceDetailsByConfigRule;
exports.paginateGetAggregateConfigRuleComplianceSummary = paginateGetAggregateConfigRuleComplianceSummary;
exports.paginateGetAggregateConformancePackComplianceSummary = paginateGetAggregateConformancePackComplianceSummary;
exports.paginateGetAggregateDiscoveredResourceCounts = paginateGetAggregateDiscoveredResourceCounts;
exports.paginateGetComplianceDetailsByConfigRule = paginateGetComplianceDetailsByConfigRule;
exports.paginateGetComplianceDetailsByResource = paginateGetComplianceDetailsByResource;
exports.paginateGetConformancePackComplianceDetails = paginateGetConformancePackComplianceDetails;
exports.paginateGetConformancePackComplianceSummary = paginateGetConformancePackComplianceSummary;
exports.paginateGetDiscoveredResourceCounts = paginateGetDiscoveredResourceCounts;
exports.paginateGetOrganizationConfigRuleDetailedStatus = paginateGetOrganizationConfigRuleDetailedStatus;
exports.paginateGetOrganizationConformancePackDetailedStatus = paginateGetOrganizationConformancePackDetailedStatus;
exports.paginateGetResourceConfigHistory = paginateGetResourceConfigHistory;
exports.paginateListAggregateDiscoveredResources = paginateListAggregateDiscoveredResources;
exports.paginateListConfigurationRecorders = paginateListConfigurationRecorders;
exports.paginateListConformancePackComplianceScores = paginateListConformancePackComplianceScores;
exports.paginateListConnectors = paginateListConnectors;
exports.paginateListDiscoveredResources = paginateListDiscoveredResources;
exports.paginateListResourceEvaluations = paginateListResourceEvaluations;
exports.paginateListStoredQueries = paginateListStoredQueries;
exports.paginateListTagsForResource = paginateListTagsForResource;
exports.paginateSelectAggregateResourceConfig = paginateSelectAggregateResourceConfig;
exports.paginateSelectResourceConfig = paginateSelectResourceConfig;


/***/ })

};
