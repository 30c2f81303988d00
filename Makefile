# `sam build` (BuildMethod: makefile in template.yaml) runs the target build-<LogicalId> with ARTIFACTS_DIR set
# to the folder it packages.
.PHONY: build-SaasOnboardingFunction lambda-package

build-SaasOnboardingFunction:
	bash scripts/build-lambda.sh "$(ARTIFACTS_DIR)"

# The same package without SAM, in artifacts/lambda.
lambda-package:
	bash scripts/build-lambda.sh
