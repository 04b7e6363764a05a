module opencmq.local/sdk-check

go 1.18

require github.com/TencentCloud/tencentcloud-cmq-sdk-go v0.0.0

// The SDK is used from ../shared/sdks beside the project, never copied into it. The spec builds
// with a generated copy of this file (-modfile) whose replace names the SDK folder it was given.
replace github.com/TencentCloud/tencentcloud-cmq-sdk-go => ../../../../shared/sdks/cmq-go-sdk
