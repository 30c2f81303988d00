#!/usr/bin/env bash
# Creates, in a running cognito-local, the two user pools the app expects (operations and tenant, with the custom
# attributes tenantId and userRole), an app client for each, and the system admin `admin` in the operations pool.
# Prints the environment for `dotnet run` with Identity:Provider=Cognito. For local debugging only.
#
#   eval "$(scripts/services/cognito-local.sh start)"
#   eval "$(scripts/cognito-local-pools.sh "$SAAS_TEST_COGNITO_LOCAL" 'Admin-Passw0rd!')"
#   dotnet run --project src/SaasOnboarding.Api
set -euo pipefail

url="${1:?usage: $0 <cognito-local url> <admin password>}"
admin_password="${2:?usage: $0 <cognito-local url> <admin password>}"

call() {
    curl -fsS -X POST "$url/" -H 'Content-Type: application/x-amz-json-1.1' \
        -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" -d "$2"
}

field() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)$1))"; }

pool() {
    call CreateUserPool "{\"PoolName\":\"saas-$1\",\"AdminCreateUserConfig\":{\"AllowAdminCreateUserOnly\":true},\"MfaConfiguration\":\"OPTIONAL\",
        \"Schema\":[{\"Name\":\"tenantId\",\"AttributeDataType\":\"String\",\"Mutable\":true},
                    {\"Name\":\"userRole\",\"AttributeDataType\":\"String\",\"Mutable\":true}]}" | field '.UserPool.Id'
}

client() {
    call CreateUserPoolClient "{\"UserPoolId\":\"$1\",\"ClientName\":\"saas-onboarding\",\"GenerateSecret\":false,
        \"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]}" | field '.UserPoolClient.ClientId'
}

operations_pool="$(pool operations)"
tenant_pool="$(pool tenant)"
operations_client="$(client "$operations_pool")"
tenant_client="$(client "$tenant_pool")"

call AdminCreateUser "{\"UserPoolId\":\"$operations_pool\",\"Username\":\"admin\",\"DesiredDeliveryMediums\":[\"EMAIL\"],
    \"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"admin@example.com\"},{\"Name\":\"custom:tenantId\",\"Value\":\"system_admins\"},
                        {\"Name\":\"custom:userRole\",\"Value\":\"SystemAdmin\"}]}" >/dev/null
password_json="$(node -e 'console.log(JSON.stringify(process.argv[1]))' "$admin_password")"
call AdminSetUserPassword "{\"UserPoolId\":\"$operations_pool\",\"Username\":\"admin\",\"Password\":$password_json,\"Permanent\":true}" >/dev/null

echo "created pools $operations_pool (operations) and $tenant_pool (tenant) and the system admin 'admin'" >&2
echo "export Identity__Provider=Cognito"
echo "export Identity__Cognito__Region=eu-west-1"
echo "export Identity__Cognito__ServiceUrl='$url'"
echo "export Identity__Cognito__OperationsUserPoolId='$operations_pool'"
echo "export Identity__Cognito__OperationsClientId='$operations_client'"
echo "export Identity__Cognito__TenantUserPoolId='$tenant_pool'"
echo "export Identity__Cognito__TenantClientId='$tenant_client'"
# Admin calls are signed; cognito-local accepts any signature, but the SDK's credential chain must find some.
echo "export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"
