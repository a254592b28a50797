namespace Baton.Workspaces;

/// <summary>What a new workspace starts with: `baton init`'s files, and the chain the server's first `default` workspace gets.</summary>
public static class WorkspaceTemplate
{
    public const string Config = """
        # Baton workspace settings. Everything is optional.
        # providers:
        #   default:
        #     type: openai                      # openai | anthropic | ollama | offline
        #     model: gpt-4o-mini
        #     api_key: ${env:OPENAI_API_KEY}    # or ${secret:NAME}; never a literal in git
        # limits:
        #   agent_timeout: 10m
        # clis:
        #   claude: { command: [claude, -p] }

        """;

    public const string HelloChain = """
        name: hello
        description: Greets someone, counts the letters, and reports — all offline.
        inputs:
          name:
            description: Who to greet
            default: world
        agents:
          greet:
            run: |
              echo "Hello, $BATON_INPUT_NAME!"
          count:
            run: |
              printf '%s' "$BATON_INPUT_NAME" | wc -c | tr -d ' ' > "$BATON_OUTPUT"
          report:
            needs: [greet, count]
            run: |
              echo "$(cat "$BATON_OUT_GREET") ($(cat "$BATON_OUT_COUNT") letters)"

        """;
}
