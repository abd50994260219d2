"""Question families: each turns one kind of fact into candidate questions."""
