"""aicapex: can Big Tech afford the AI build-out it is financing?"""
