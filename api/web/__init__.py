"""Server-rendered web pages (Dutch) for the professionals: sign-in, advies aanvragen, advies bekijken."""
