import type { NextRequest } from "next/server";
import { handleCmqRequest } from "@/lib/cmq/handler";

// GET|POST /v2/index.php — the CMQ-compatible action API (Tencent's SDKs' default path)
const handle = (req: NextRequest) => handleCmqRequest(req, "/v2/index.php");

export { handle as GET, handle as POST };
